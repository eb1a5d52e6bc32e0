// markdown-it (dual package, required as CommonJS; entities, linkify-it,
// mdurl, punycode.js, uc.micro): rendering with options, plugins, tokens.
'use strict'
const MarkdownIt = require('markdown-it')

const md = new MarkdownIt({ html: true, linkify: true, typographer: true, breaks: false })
console.log(md.render(`# Heading

"Quotes" -- dashes (c) (tm) ... visit www.example.com or https://例え.jp/パス

* a
* b

1. one
2. two

| x | y |
|---|---|
| 1 | 2 |

\`\`\`
code <b>
\`\`\`

<div>raw html</div>

![img](/i.png "title") [ref][r]

[r]: https://example.com/ref`))
console.log(md.renderInline('__strong__ ~~strike~~ `code`'), md.parse('*x*', {}).map((t) => t.type))
const strict = new MarkdownIt('commonmark').disable(['emphasis'])
console.log(strict.render('*not em* <script>x</script>'), new MarkdownIt({ html: false }).render('<b>escaped</b> [bad](javascript:alert(1))'))
md.use((m) => {
  m.core.ruler.push('upper_text', (state) => {
    for (const tok of state.tokens) if (tok.type === 'inline') for (const c of tok.children) if (c.type === 'text') c.content = c.content.toUpperCase()
  })
})
console.log(md.render('plugin *works*'), md.utils.escapeHtml('<&>'), md.linkify.test('see example.org'))
