// immer (dual package, imported as ES modules): produce, frozen results,
// patches, Map/Set drafts, current/original, curried producers.
import { applyPatches, castDraft, current, enableMapSet, enablePatches, freeze, isDraft, original, produce, produceWithPatches } from 'immer'

enablePatches()
enableMapSet()
const base = { todos: [{ id: 1, title: 'a', done: false }, { id: 2, title: 'b', done: true }], meta: { count: 2 } }
const next = produce(base, (draft) => {
  draft.todos[0].done = true
  draft.todos.push({ id: 3, title: 'c', done: false })
  draft.meta.count++
  console.log(isDraft(draft), original(draft.meta).count, current(draft.meta).count)
})
console.log(next, base.todos[0].done, next.todos[1] === base.todos[1], Object.isFrozen(next), Object.isFrozen(next.todos[2]))
const [result, patches, inverse] = produceWithPatches({ a: 1, list: [1, 2, 3] }, (d) => {
  d.a = 2
  d.list.splice(1, 1)
  delete d.missing
})
console.log(result, JSON.stringify(patches), JSON.stringify(inverse), applyPatches(result, inverse))
const mapped = produce({ m: new Map([['x', { v: 1 }]]), s: new Set([1]) }, (d) => {
  d.m.get('x').v = 2
  d.m.set('y', { v: 3 })
  d.s.add(2)
})
console.log(mapped.m, mapped.s)
const toggle = produce((draft, id) => {
  const t = draft.find((x) => x.id === id)
  t.done = !t.done
})
console.log(toggle(base.todos, 2), produce(base, () => {}) === base, freeze({ a: { b: 1 } }, true), castDraft(1))
try {
  next.meta.count = 5
} catch (e) {
  console.log(e.constructor.name, e.message)
}
try {
  produce(base, (d) => {
    d.meta.count = 9
    return { other: true }
  })
} catch (e) {
  console.log(e.message)
}
