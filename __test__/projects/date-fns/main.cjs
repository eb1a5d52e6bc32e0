// date-fns (dual package, required as CommonJS): formatting, arithmetic,
// intervals, parsing and locales, on fixed dates (TZ=UTC on the host).
'use strict'
const { addDays, addMonths, differenceInCalendarDays, eachDayOfInterval, endOfMonth, format, formatDistance, formatDistanceStrict,
  formatISO, formatRelative, intervalToDuration, isValid, isWeekend, parse, parseISO, startOfWeek, subYears } = require('date-fns')
const { de, fr, ja } = require('date-fns/locale')

const base = new Date(Date.UTC(2024, 1, 29, 13, 45, 30))
console.log(format(base, "yyyy-MM-dd'T'HH:mm:ss EEEE do MMMM, QQQ, 'week' I"), formatISO(base))
console.log(format(addMonths(base, 1), 'PPPP'), format(addDays(base, 366), 'P p'), format(subYears(base, 1), 'PP'))
console.log(differenceInCalendarDays(new Date(2025, 0, 1), base), endOfMonth(base).toISOString(), startOfWeek(base, { weekStartsOn: 1 }).toISOString())
console.log(eachDayOfInterval({ start: base, end: addDays(base, 3) }).map((d) => format(d, 'EEE d')), isWeekend(addDays(base, 2)))
console.log(formatDistance(base, addDays(base, 45)), formatDistanceStrict(base, addMonths(base, 14), { unit: 'day' }), formatRelative(addDays(base, -1), base))
console.log(format(base, 'PPPPpppp', { locale: de }), '|', format(base, 'EEEE d MMMM yyyy', { locale: fr }), '|', format(base, 'PPP', { locale: ja }))
console.log(formatDistance(base, addDays(base, 3), { locale: de, addSuffix: true }), intervalToDuration({ start: base, end: new Date(Date.UTC(2025, 3, 1, 0, 0, 1)) }))
const p = parse('03/04/2023 17:05', 'dd/MM/yyyy HH:mm', base)
console.log(p.toISOString(), isValid(parse('31/02/2023', 'dd/MM/yyyy', base)), parseISO('2024-06-01T12:00:00+02:00').toISOString())
try {
  format(new Date(NaN), 'yyyy')
} catch (e) {
  console.log(e.name, e.message)
}
