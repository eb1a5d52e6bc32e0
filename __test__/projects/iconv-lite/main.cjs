// iconv-lite (CommonJS; Buffer, and stream for its streaming API): single
// and double byte encodings, UTF-16/32 with BOM, and streamed decoding.
'use strict'
const iconv = require('iconv-lite')

const text = 'Привет, мир! ¿Qué tal? 日本語 € 😀'
for (const enc of ['win1251', 'koi8-r', 'latin1', 'cp437', 'shift_jis', 'gbk', 'big5', 'euc-kr', 'utf16le', 'utf16', 'utf-32be', 'utf7', 'base64', 'hex']) {
  const buf = iconv.encode(text, enc, { addBOM: enc === 'utf16' })
  console.log(enc, buf.length, buf.subarray(0, 12).toString('hex'), JSON.stringify(iconv.decode(buf, enc)))
}
console.log(iconv.decode(Buffer.from([0xef, 0xbb, 0xbf, 0x68, 0x69]), 'utf8'), iconv.decode(Buffer.from([0xef, 0xbb, 0xbf, 0x68]), 'utf8', { stripBOM: false }).length)
console.log(iconv.encodingExists('cp1252'), iconv.encodingExists('nope'), iconv.decode(Buffer.from([0xff, 0xfe, 0x41, 0]), 'utf16'))
try {
  iconv.encode('x', 'no-such-encoding')
} catch (e) {
  console.log(e.message)
}
const decoder = iconv.getDecoder('shift_jis')
const sj = iconv.encode('日本語テキスト', 'shift_jis')
console.log(decoder.write(sj.subarray(0, 3)) + '|' + decoder.write(sj.subarray(3)) + '|' + (decoder.end() || ''))
const out = []
const stream = iconv.decodeStream('win1251')
stream.on('data', (s) => out.push(s))
stream.on('end', () => console.log('stream', out.join('')))
const w = iconv.encode('потоковое декодирование', 'win1251')
stream.write(w.subarray(0, 5))
stream.end(w.subarray(5))
