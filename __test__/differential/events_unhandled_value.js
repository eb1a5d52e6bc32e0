// An 'error' event with a value that is no Error: ERR_UNHANDLED_ERROR with context.
const EventEmitter = require('events');
new EventEmitter().emit('error', { reason: 'not an Error', nested: { deep: { deeper: { deepest: 1 } } } });
