// xml2js (CommonJS; sax, which uses stream and string_decoder; events;
// timers' setImmediate): XML to objects with callbacks and promises, and
// objects back to XML.
'use strict'
const xml2js = require('xml2js')

const xml = '<root a="1"><item id="x">one</item><item id="y"><![CDATA[two & <three>]]></item><empty/><n>42</n></root>'
xml2js.parseString(xml, (err, result) => {
  console.log('callback', err, JSON.stringify(result))
})
const parser = new xml2js.Parser({ explicitArray: false, mergeAttrs: true, valueProcessors: [xml2js.processors.parseNumbers], tagNameProcessors: [xml2js.processors.stripPrefix] })
parser.parseStringPromise(xml).then((r) => {
  console.log('promise', JSON.stringify(r))
  const builder = new xml2js.Builder({ rootName: 'out', renderOpts: { pretty: true, indent: '  ', newline: '\n' }, xmldec: { version: '1.0', encoding: 'UTF-8' } })
  console.log(builder.buildObject({ a: { $: { k: 'v' }, b: ['x & y', 'z'], c: { _: 'text', $: { id: 1 } } } }))
  return new xml2js.Parser().parseStringPromise('<a><b></a>')
}).catch((e) => console.log('error', e.message.split('\n')[0]))
new xml2js.Parser({ async: true }).parseString('<big>' + '<i>1</i>'.repeat(5) + '</big>', (err, r) => console.log('async', err, r.big.i.length))
