// handlebars (CommonJS): templates compiled to functions, helpers,
// partials, block helpers, escaping, precompilation and runtime errors.
'use strict'
const Handlebars = require('handlebars')

Handlebars.registerHelper('upper', (s) => String(s).toUpperCase())
Handlebars.registerHelper('list', function (items, options) {
  return new Handlebars.SafeString('<ul>' + items.map((i) => '<li>' + options.fn(i) + '</li>').join('') + '</ul>')
})
Handlebars.registerPartial('person', '{{name}} ({{age}})')
const t = Handlebars.compile(`Hello {{upper name}}! {{! comment }}
{{#if admin}}admin{{else}}user{{/if}} {{html}} {{{html}}}
{{#each items}}{{@index}}={{this}}{{#unless @last}}, {{/unless}}{{/each}}
{{#list people}}{{> person}}{{/list}}
{{#with address}}{{city}}, {{../name}}{{/with}} {{lookup map "k"}}`)
console.log(
  t({
    name: 'ada',
    admin: false,
    html: '<b>&"</b>',
    items: ['a', 'b', 'c'],
    people: [{ name: 'x', age: 1 }, { name: 'y', age: 2 }],
    address: { city: 'Paris' },
    map: { k: 'v' },
  }),
)
const spec = Handlebars.precompile('{{#each x}}{{.}}{{/each}}')
console.log(typeof spec, spec.length > 100)
const fromSpec = Handlebars.template(new Function('return ' + spec)())
console.log(fromSpec({ x: [1, 2, 3] }))
console.log(Handlebars.compile('{{a.b.c}}|{{#each o}}{{@key}}:{{this}};{{/each}}')({ a: { b: { c: 'deep' } }, o: { p: 1, q: 2 } }))
try {
  Handlebars.compile('{{#if}}x{{/if}}')({})
} catch (e) {
  console.log(e.message)
}
try {
  Handlebars.compile('{{#each}}')()
} catch (e) {
  console.log(e.message.split('\n')[0])
}
console.log(Handlebars.compile('{{missing}}', { strict: false })({}), Handlebars.escapeExpression('<>&"\'`='), Handlebars.VERSION)
