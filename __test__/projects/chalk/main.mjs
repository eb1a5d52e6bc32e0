// chalk (ES modules only; node:process, node:os, node:tty for color
// detection): styles at each color level, and the detected level.
import chalk, { Chalk, chalkStderr, backgroundColorNames, foregroundColorNames, modifierNames, supportsColor } from 'chalk'

console.log(chalk.level, supportsColor, chalkStderr.level)
for (const level of [0, 1, 2, 3]) {
  const c = new Chalk({ level })
  console.log(level, JSON.stringify(c.red.bold('error') + ' ' + c.bgBlue.white.underline('info') + ' ' + c.hex('#FF8800')('orange') + ' ' + c.rgb(10, 200, 30).bgAnsi256(194)('rgb')))
}
const c = new Chalk({ level: 3 })
console.log(JSON.stringify(c.green(`nested ${c.blue('blue')} back`)), JSON.stringify(c.red('multi\nline')), JSON.stringify(c.visible('shown')))
console.log(foregroundColorNames.length, backgroundColorNames.length, modifierNames)
