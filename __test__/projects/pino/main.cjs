// pino (CommonJS; sonic-boom writing to fd 1 through fs, thread-stream,
// on-exit-leak-free, events, os): JSON logs without time/pid/hostname so
// the output is fixed; levels, child loggers, serializers, redaction.
'use strict'
const pino = require('pino')

// Synchronous destinations: console.log's lines and the logs keep their order.
const logger = pino({ base: null, timestamp: false, level: 'debug', redact: ['password', 'user.secret'] }, pino.destination({ dest: 1, sync: true }))
logger.info('hello')
logger.debug({ n: 1, nested: { a: [1, 2] } }, 'with %s and %d', 'format', 42)
logger.trace('not shown')
logger.warn({ password: 'hunter2', user: { name: 'ada', secret: 'x' } }, 'redacted')
const child = logger.child({ module: 'db' }, { level: 'warn' })
child.info('not shown either')
child.error(new Error('boom').message)
const err = new TypeError('bad thing')
err.stack = 'TypeError: bad thing\n    at fixed (file.js:1:1)'
logger.error({ err }, 'with error')
console.log(logger.level, child.level, logger.isLevelEnabled('trace'), pino.levels.values.fatal, Object.keys(pino.stdSerializers))
const custom = pino({ base: { app: 'matrix' }, timestamp: () => ',"time":0', messageKey: 'm', formatters: { level: (label) => ({ level: label }) } }, pino.destination({ dest: 1, sync: true }))
custom.info({ x: 1 }, 'custom')
custom.fatal('fatal one')
logger.flush((err) => console.log('flushed', err))
