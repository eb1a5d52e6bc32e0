// marked (ES modules only): Markdown to HTML with GFM tables, code, lists;
// the lexer; a custom renderer and an extension; async parsing.
import { Marked, marked } from 'marked'

const md = `# Title *with* emphasis

Some **bold**, \`code\`, a [link](https://example.com "t") and <span>html</span>.

- item 1
- [x] done
  1. nested

| a | b |
|:--|--:|
| 1 | 2 |

\`\`\`js
const x = 1 < 2
\`\`\`

> quote
---
auto https://example.org and footnote-ish[^1]
`
console.log(marked.parse(md))
const tokens = marked.lexer(md)
console.log(tokens.map((t) => t.type), tokens.links)
const custom = new Marked({
  renderer: { heading({ tokens, depth }) { return `<h${depth} class="h">${this.parser.parseInline(tokens)}</h${depth}>\n` } },
  extensions: [{
    name: 'mention',
    level: 'inline',
    start: (src) => src.indexOf('@'),
    tokenizer(src) { const m = /^@(\w+)/.exec(src); if (m) return { type: 'mention', raw: m[0], user: m[1] } },
    renderer: (t) => `<a class="mention">${t.user}</a>`,
  }],
})
console.log(custom.parse('## Hi @ada\n\nping @bob!'))
console.log(await new Marked({ async: true, walkTokens: async (t) => { if (t.type === 'codespan') t.text = t.text.toUpperCase() } }).parse('`shout`'))
console.log(marked.parseInline('*inline* __only__'), marked.parse('a\nb', { breaks: true, gfm: true }))
