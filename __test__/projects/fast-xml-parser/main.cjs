// fast-xml-parser (dual package, required as CommonJS): parse with
// attributes and entities, build XML back, validate with error positions.
'use strict'
const { XMLBuilder, XMLParser, XMLValidator } = require('fast-xml-parser')

const xml = `<?xml version="1.0" encoding="UTF-8"?>
<catalog xmlns:x="urn:x">
  <book id="bk101" available="true"><author>Gambardella, Matthew</author><title>XML &amp; You</title><price>44.95</price><x:tag>t</x:tag></book>
  <book id="bk102"><author>Ralls, Kim</author><title><![CDATA[<Midnight> Rain]]></title><price>5.95</price><!-- c --></book>
</catalog>`
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseAttributeValue: true, cdataPropName: '#cdata', commentPropName: '#comment', removeNSPrefix: true })
const obj = parser.parse(xml)
console.log(JSON.stringify(obj, null, 1))
console.log(new XMLParser({ isArray: (name) => name === 'book' }).parse(xml).catalog.book.map((b) => b.price))
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ', suppressEmptyNode: true })
console.log(builder.build({ root: { '@_v': 1, item: [{ name: 'a&b', empty: '' }, { name: 'c' }] } }))
console.log(XMLValidator.validate(xml), JSON.stringify(XMLValidator.validate('<a><b></a>')), JSON.stringify(XMLValidator.validate('<a x="1" x="2"/>')))
const preserve = new XMLParser({ preserveOrder: true }).parse('<r><a>1</a><b>2</b><a>3</a></r>')
console.log(JSON.stringify(preserve), new XMLBuilder({ preserveOrder: true }).build(preserve))
