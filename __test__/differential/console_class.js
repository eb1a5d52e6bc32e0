const { Console } = require('console');
console.log(require('console') === console, typeof Console, console.Console === Console);
const lines = [];
const EventEmitter = require('events');
const out = Object.assign(new EventEmitter(), { write(s) { lines.push(['out', s]); return true; } });
const err = Object.assign(new EventEmitter(), { write(s) { lines.push(['err', s]); return true; } });
const c = new Console(out, err);
c.log('hello %s', 'world', { a: 1 });
c.error('to err');
c.warn('warn');
c.info('info');
c.group('group');
c.log('indented');
c.groupEnd();
c.count();
c.count();
c.countReset();
c.count();
c.table([{ a: 1, b: 2 }]);
c.dir({ deep: { er: { est: 1 } } }, { depth: 0 });
c.assert(false, 'assertion %d', 1);
const c2 = new Console({ stdout: out });
c2.error('stderr defaults to stdout');
const c3 = Console(out);
c3.log('without new');
console.log(JSON.stringify(lines));
try { new Console(); } catch (e) { console.log(e.name, e.code, e.message); }
try { new Console({ stdout: {} }); } catch (e) { console.log(e.name, e.code, e.message); }
console.log(require('process') === process, typeof require('constants').O_RDONLY, require('constants').SIGTERM, require('constants').ENOENT);
