// commander (dual package, imported as ES modules: its esm.mjs imports the
// CommonJS build): options, subcommands, help text, parse errors.
import { Command, InvalidArgumentError, Option, program } from 'commander'

const out = []
const make = () => {
  const cmd = new Command('tool')
    .version('1.2.3')
    .description('A tool for the matrix')
    .option('-d, --debug', 'output extra debugging')
    .option('-p, --port <number>', 'port number', (v) => {
      const n = Number(v)
      if (!Number.isInteger(n)) throw new InvalidArgumentError('Not a number.')
      return n
    }, 80)
    .option('--no-color', 'disable colors')
    .addOption(new Option('-m, --mode <mode>', 'mode').choices(['fast', 'slow']).default('fast'))
    .option('-l, --list <items...>', 'a list')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.push(['out', s]), writeErr: (s) => out.push(['err', s]), getOutHelpWidth: () => 80, getErrHelpWidth: () => 80 })
    .argument('[files...]', 'files to read')
    .action((files, opts) => console.log('root action', files, opts))
  cmd
    .command('serve <dir> [extra...]')
    .alias('s')
    .description('serve a directory')
    .option('-w, --watch', 'watch files')
    .action((dir, extra, opts, command) => console.log('serve', dir, extra, opts, command.name()))
  return cmd
}
const a = make().parse(['-d', '--port', '8080', '--no-color', '-m', 'slow', 'f1', '-l', 'a', 'b'], { from: 'user' })
console.log(a.opts(), a.args)
make().parse(['s', 'public', 'x', 'y', '--watch'], { from: 'user' })
console.log(make().helpInformation())
for (const argv of [['--port', 'abc'], ['-m', 'medium'], ['--unknown'], ['--version'], ['serve'], ['help']]) {
  try {
    make().parse(argv, { from: 'user' })
  } catch (e) {
    console.log(argv.join(' '), '->', e.code, e.exitCode, JSON.stringify(e.message))
  }
}
console.log(out)
console.log(typeof program.parse, program.name())
