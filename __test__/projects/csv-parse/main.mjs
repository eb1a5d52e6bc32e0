// csv-parse (dual package, imported as ES modules): the sync API, and the
// stream API (node:stream Transform) read by async iteration and callback.
import { parse } from 'csv-parse'
import { parse as parseSync } from 'csv-parse/sync'

const input = 'name,age,note\n"Doe, Jane",34,"said ""hi"""\nBob,27,\n# comment\nÉve,41,"multi\nline"\n'
console.log(parseSync(input, { columns: true, comment: '#', cast: true, skip_empty_lines: true }))
console.log(parseSync('a;b\n1;2\n', { delimiter: ';', from_line: 2 }), parseSync('x\ty\n', { delimiter: '\t', info: true }).map((r) => r.info.lines))
try {
  parseSync('a,b\n1,2,3\n')
} catch (e) {
  console.log(e.code, e.message)
}
const rows = []
for await (const record of parse(input, { comment: '#', relax_column_count: true })) rows.push(record)
console.log('stream', rows)
const parser = parse({ columns: ['k', 'v'], cast: (value, ctx) => (ctx.column === 'v' ? Number(value) * 2 : value) })
parser.on('readable', () => {
  let r
  while ((r = parser.read()) !== null) console.log('readable', r)
})
parser.on('end', () => console.log('end', parser.info.records))
parser.write('a,1\nb,')
parser.write('2\n')
parser.end()
parse('q,"unterminated\n', (err, out) => console.log('callback', err?.code, out))
