// lodash-es (ES modules only): named imports from a graph of ~600 modules,
// the default export and a deep import.
import _, { chunk, cloneDeep, curry, flow, groupBy, isEqual, merge, partition, sortBy, template, words } from 'lodash-es'
import pick from 'lodash-es/pick.js'
import * as ns from 'lodash-es'

console.log(typeof _, _.VERSION, Object.keys(ns).length > 300, ns.default === _)
console.log(chunk([1, 2, 3, 4, 5, 6, 7], 3), groupBy(['one', 'two', 'three'], 'length'))
console.log(sortBy([{ n: 'b', v: 2 }, { n: 'a', v: 1 }], 'v').map((o) => o.n), partition([1, 2, 3, 4], (n) => n % 2))
console.log(merge({ a: { b: 1 } }, { a: { c: 2 } }), pick({ x: 1, y: 2, z: 3 }, ['x', 'z']))
console.log(isEqual(cloneDeep({ a: [new Set([1])] }), { a: [new Set([1])] }), words('fred, barney, & pebbles'))
console.log(flow([(a, b) => a + b, (n) => n * n])(2, 3), curry((a, b, c) => [a, b, c])(1, 2)(3))
console.log(template('<%= a %> + <%= b %> = ${a + b}')({ a: 1, b: 2 }))
console.log(_.map(_.filter([1, 2, 3, 4, 5, 6], (n) => n % 2 === 0), (n) => n * 10), _.chain([3, 1, 2]).sort().reverse().value())
