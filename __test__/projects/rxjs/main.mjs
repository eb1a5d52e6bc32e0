// rxjs (CommonJS under Node's "node" condition) imported by name from an ES
// module: operators, subjects, timers on the real scheduler, promises, and
// marble tests on the virtual TestScheduler.
import { BehaviorSubject, catchError, combineLatest, concatMap, debounceTime, defer, delay, filter, firstValueFrom, from, interval, lastValueFrom,
  map, mergeMap, of, reduce, ReplaySubject, retry, scan, Subject, switchMap, take, takeUntil, throwError, timer, toArray, zip } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'

of(1, 2, 3, 4, 5).pipe(filter((n) => n % 2), map((n) => n * 10), scan((a, n) => a + n, 0)).subscribe((v) => console.log('scan', v))
from([1, 2, 3]).pipe(mergeMap((n) => of(n, n * n)), toArray()).subscribe((v) => console.log('mergeMap', v))
const subject = new Subject()
const behavior = new BehaviorSubject('init')
combineLatest([subject, behavior]).subscribe(([a, b]) => console.log('combineLatest', a, b))
subject.next('s1')
behavior.next('b1')
subject.next('s2')
subject.complete()
const replay = new ReplaySubject(2)
replay.next(1)
replay.next(2)
replay.next(3)
replay.subscribe((v) => console.log('replay', v))
let attempts = 0
defer(() => (++attempts < 3 ? throwError(() => new Error('fail ' + attempts)) : of('ok after ' + attempts)))
  .pipe(retry(5))
  .subscribe((v) => console.log('retry', v))
throwError(() => new Error('boom')).pipe(catchError((e) => of('caught ' + e.message))).subscribe((v) => console.log(v))
console.log('sync done')
console.log('first', await firstValueFrom(interval(5).pipe(map((i) => i * 2), filter((i) => i > 2))))
console.log('last', await lastValueFrom(zip(of('a', 'b', 'c'), timer(0, 3)).pipe(map(([a, i]) => a + i), reduce((x, y) => x + y))))
const stop = timer(50)
console.log('takeUntil', await lastValueFrom(interval(10).pipe(takeUntil(stop), toArray()).pipe(map((xs) => xs.length > 0))))
console.log('concat', await lastValueFrom(of(30, 10, 20).pipe(concatMap((ms) => of(ms).pipe(delay(ms))), toArray())))
const scheduler = new TestScheduler((actual, expected) => console.log('marbles', JSON.stringify(actual), JSON.stringify(actual) === JSON.stringify(expected)))
scheduler.run(({ cold, expectObservable }) => {
  const src = cold('a-b-c---d|', { a: 1, b: 2, c: 3, d: 4 })
  expectObservable(src.pipe(debounceTime(2), map((x) => x * 2))).toBe('------f--(h|)', { f: 6, h: 8 })
  expectObservable(cold('-a--b|').pipe(switchMap((v) => cold('x-y|', { x: v + 'x', y: v + 'y' })))).toBe('-a-bc-d|', { a: 'ax', b: 'ay', c: 'bx', d: 'by' })
})
scheduler.flush()
