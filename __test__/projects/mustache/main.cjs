// mustache (dual package, required as CommonJS): sections, inverted
// sections, partials, lambdas, escaping, custom tags, parse trees.
'use strict'
const Mustache = require('mustache')

const view = {
  title: 'Joe <& "friends">',
  items: [{ name: 'a', price: 1.5 }, { name: 'b', price: 2 }],
  empty: [],
  calc: () => 2 + 4,
  bold: () => (text, render) => '<b>' + render(text) + '</b>',
  nested: { deep: { value: 'found' } },
}
console.log(Mustache.render('{{title}} / {{{title}}} / {{&title}}', view))
console.log(Mustache.render('{{#items}}{{name}}={{price}};{{/items}}{{^empty}}none{{/empty}} {{calc}} {{#bold}}hi {{title}}{{/bold}}', view))
console.log(Mustache.render('{{nested.deep.value}} {{#nested}}{{deep.value}}{{/nested}} {{missing}}|', view))
console.log(Mustache.render('{{> header}}body{{> footer}}', { t: 'T' }, { header: '[{{t}}]\n', footer: '\n(end)' }))
console.log(Mustache.render('<%name%> {{name}}', { name: 'x' }, {}, ['<%', '%>']), Mustache.render('{{=| |=}}|name| {{name}}', { name: 'y' }))
console.log(JSON.stringify(Mustache.parse('a {{b}} {{#c}}d{{/c}}')))
console.log(Mustache.escape('<a href="x">'), Mustache.name, Mustache.version)
try {
  Mustache.render('{{#open}}never closed', {})
} catch (e) {
  console.log(e.message)
}
