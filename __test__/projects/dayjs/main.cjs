// dayjs (CommonJS): parsing, arithmetic, plugins (utc, relativeTime,
// customParseFormat, duration, advancedFormat) and a locale.
'use strict'
const dayjs = require('dayjs')
dayjs.extend(require('dayjs/plugin/utc'))
dayjs.extend(require('dayjs/plugin/relativeTime'))
dayjs.extend(require('dayjs/plugin/customParseFormat'))
dayjs.extend(require('dayjs/plugin/duration'))
dayjs.extend(require('dayjs/plugin/advancedFormat'))
dayjs.extend(require('dayjs/plugin/isBetween'))
require('dayjs/locale/de')

const d = dayjs.utc('2024-02-29T13:45:30.123Z')
console.log(d.format(), d.format('dddd, MMMM D YYYY [at] HH:mm:ss.SSS Z Do Q X x'), d.valueOf())
console.log(d.add(1, 'year').format('YYYY-MM-DD'), d.subtract(3, 'months').endOf('month').toISOString(), d.startOf('week').format('ddd D'))
console.log(d.diff(dayjs.utc('2023-01-01'), 'day'), d.diff('2025-01-01', 'month', true).toFixed(4), d.isBetween('2024-01-01', '2024-12-31'))
console.log(d.from(d.add(2, 'hours')), d.to(d.subtract(40, 'days')), d.locale('de').from(d.add(1, 'year')), d.locale('de').format('dddd, D. MMMM YYYY'))
const parsed = dayjs('05/03/2021 10:30', 'DD/MM/YYYY HH:mm', true)
console.log(parsed.isValid(), parsed.format('YYYY-MM-DDTHH:mm'), dayjs('31/02/2021', 'DD/MM/YYYY', true).isValid())
const dur = dayjs.duration({ hours: 26, minutes: 5 })
console.log(dur.asMinutes(), dur.humanize(), dur.format('D[d] HH:mm'), dayjs.duration(90, 'seconds').toISOString())
console.log(dayjs.utc(0).toJSON(), dayjs.isDayjs(d), dayjs.utc('invalid').format(), dayjs.utc('2024-01-01').daysInMonth())
