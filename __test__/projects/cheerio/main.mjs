// cheerio (dual package, imported as ES modules; parse5, htmlparser2,
// css-select, and undici / whatwg-mimetype / encoding-sniffer for its
// loaders): parse HTML, select, read, change and serialize.
import * as cheerio from 'cheerio'

const $ = cheerio.load(`<!doctype html><html><head><title>Matrix</title></head><body>
<ul id="fruits"><li class="apple">Apple</li><li class="orange" data-n="2">Orange</li><li class="pear">Pear &amp; co</li></ul>
<form><input name="a" value="1"><input name="b" value="x y"><select name="c"><option value="z" selected>z</option></select></form>
<p>Some <b>bold</b> and <a href="/rel?x=1">a link</a>.</p></body></html>`)
console.log($('title').text(), $('li').length, $('.orange').attr('class'), $('.orange').data('n'), $('li:nth-child(3)').text())
console.log($('li').map((i, el) => `${i}:${$(el).text()}`).get(), $('ul > li').last().prev().text())
$('.pear').remove()
$('<li class="plum">Plum</li>').appendTo('#fruits')
$('li').addClass('fruit').first().attr('id', 'first')
console.log($.html('#fruits'))
console.log($('form').serialize(), JSON.stringify($('form').serializeArray()))
console.log($('p').text(), $('a').attr('href'), $('p').contents().length, $('b').parent().is('p'))
const x = cheerio.load('<root><item id="1">one</item><item id="2"/></root>', { xml: true })
console.log(x('item').map((i, el) => x(el).attr('id')).get(), x.xml())
console.log($('body').find('input[name=b]').val(), $('li').filter('.plum').length, $('ul').children().toArray().map((e) => e.tagName))
console.log(typeof cheerio.fromURL, typeof cheerio.loadBuffer)
