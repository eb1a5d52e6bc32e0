// lodash (CommonJS): collections, objects, strings, templates (compiled
// with Function), memoize and debounce (timers).
'use strict'
const _ = require('lodash')

const users = [
  { user: 'barney', age: 36, active: true },
  { user: 'fred', age: 40, active: false },
  { user: 'pebbles', age: 1, active: true },
]
console.log(_.VERSION)
console.log(_.chunk(['a', 'b', 'c', 'd', 'e'], 2))
console.log(_.sortBy(users, ['age']).map((u) => u.user), _.orderBy(users, ['active', 'age'], ['desc', 'asc']).map((u) => u.user))
console.log(_.groupBy([6.1, 4.2, 6.3], Math.floor), _.countBy(['one', 'two', 'three'], 'length'))
console.log(_.partition(users, 'active').map((g) => g.length), _.keyBy(users, 'user').fred.age)
console.log(_.merge({ a: [{ b: 2 }, { d: 4 }] }, { a: [{ c: 3 }, { e: 5 }] }))
console.log(_.defaultsDeep({ a: { b: 2 } }, { a: { b: 1, c: 3 } }), _.pick({ a: 1, b: '2', c: 3 }, ['a', 'c']))
console.log(_.get({ a: [{ b: { c: 3 } }] }, 'a[0].b.c'), JSON.stringify(_.set({}, 'x.y[1].z', 5)))
console.log(_.camelCase('Foo Bar'), _.kebabCase('fooBar'), _.snakeCase('Foo Bar'), _.startCase('--foo-bar--'), _.deburr('déjà vu'))
console.log(_.padStart('7', 3, '0'), _.truncate('hi-diddly-ho there, neighborino', { length: 24, separator: ' ' }), _.escape('<a href="x">&</a>'))
console.log(_.isEqual({ a: [1, 2, { b: new Date(0) }] }, { a: [1, 2, { b: new Date(0) }] }), _.isPlainObject(Object.create(null)))
console.log(_.range(0, 20, 5), _.zip(['a', 'b'], [1, 2]), _.uniqBy([2.1, 1.2, 2.3], Math.floor), _.difference([2, 1], [2, 3]))
const deep = { a: [{ b: new Map([[1, { c: 2 }]]) }] }
const copy = _.cloneDeep(deep)
console.log(copy.a[0].b.get(1) !== deep.a[0].b.get(1), copy.a[0].b.get(1).c)
const compiled = _.template('hello <%= user %>!<% _.forEach(list, function(x) { %> <li><%- x %></li><% }); %>')
console.log(compiled({ user: 'fred', list: ['<a>', 'b & c'] }))
const memo = _.memoize((n) => n * 2)
console.log(memo(21), memo.cache.has(21), _.flow([_.add, _.partial(_.multiply, 3)])(1, 2), _.curry((a, b, c) => a + b + c)(1)(2)(3))
console.log(_.sumBy(users, 'age'), _.maxBy(users, 'age').user, _.mean([4, 2, 8, 6]), _.round(4.006, 2))
const debounced = _.debounce((v) => console.log('debounced', v), 20)
debounced(1)
debounced(2)
debounced(3)
const throttled = _.throttle((v) => console.log('throttled', v), 1000)
throttled('a')
throttled('b')
setTimeout(() => {
  throttled.cancel()
  console.log('done')
}, 200)
