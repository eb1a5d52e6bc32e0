// semver (CommonJS) imported by name from an ES module: needs CommonJS
// named-export detection.
import { clean, coerce, compare, diff, inc, major, maxSatisfying, parse, satisfies, sort, valid, validRange } from 'semver'
import semver from 'semver'
import Range from 'semver/classes/range.js'

console.log(valid('1.2.3'), valid('a.b.c'), clean('  =v1.2.3   '), coerce('v2'), String(coerce('42.6.7.9.3-alpha')))
console.log(satisfies('1.2.3', '1.x || >=2.5.0 || 5.0.0 - 7.2.3'), satisfies('1.2.3-beta', '^1.2.0'), satisfies('1.2.3-beta', '^1.2.0', { includePrerelease: true }))
console.log(compare('1.2.3', '9.8.7'), sort(['1.10.0', '1.2.0', '1.9.0-rc.1', '1.9.0']), major('4.5.6'))
console.log(inc('1.2.3', 'minor'), inc('1.2.3-alpha.1', 'prerelease'), inc('1.2.3', 'premajor', 'beta'), diff('1.2.3', '1.3.0'))
console.log(maxSatisfying(['1.2.3', '1.2.4', '1.3.0', '2.0.0'], '~1.2'), validRange('>=1.2 <3'), new Range('^0.2.3').range)
console.log(parse('1.2.3-rc.1+build.5'))
console.log(semver.gt('2.0.0', '1.9.9'), semver.SEMVER_SPEC_VERSION, typeof semver.SemVer)
try {
  new semver.SemVer('nope')
} catch (e) {
  console.log(e.name, e.message)
}
