// luxon (dual package, imported as ES modules): dates in IANA time zones,
// Intl formatting in several locales, durations, intervals, a fixed "now".
import { DateTime, Duration, Info, Interval, Settings } from 'luxon'

Settings.now = () => 1700000000000
Settings.defaultZone = 'utc'
const dt = DateTime.fromISO('2024-03-10T01:30:00', { zone: 'America/New_York' })
console.log(dt.toISO(), dt.plus({ hours: 1 }).toISO(), dt.plus({ days: 1 }).offset, dt.isInDST, dt.plus({ hours: 1 }).isInDST)
console.log(dt.setZone('Asia/Kolkata').toISO(), dt.setZone('Europe/Berlin').toFormat('yyyy LLL dd HH:mm ZZZZ'), dt.toUTC().toMillis())
console.log(dt.setLocale('fr').toLocaleString(DateTime.DATETIME_FULL), '|', dt.setLocale('ja-JP').toLocaleString(DateTime.DATE_HUGE), '|', dt.setLocale('de').toFormat('cccc, d. LLLL yyyy'))
console.log(DateTime.now().toISO(), DateTime.now().minus({ days: 3 }).toRelative(), DateTime.now().plus({ months: 2 }).toRelativeCalendar(), DateTime.now().setLocale('es').minus({ hours: 5 }).toRelative())
const dur = Duration.fromObject({ hours: 49, minutes: 75 }).shiftTo('days', 'hours', 'minutes')
console.log(dur.toObject(), dur.toISO(), dur.toHuman(), Duration.fromISO('P1Y2M3DT4H').as('days'))
const iv = Interval.fromDateTimes(DateTime.fromISO('2024-01-01'), DateTime.fromISO('2024-03-15'))
console.log(iv.length('weeks').toFixed(3), iv.count('months'), iv.splitBy({ months: 1 }).map((i) => i.toISODate()), iv.contains(DateTime.fromISO('2024-02-29')))
console.log(Info.months('short', { locale: 'it' }), Info.weekdays('narrow'), Info.features(), DateTime.fromFormat('31/12/2023 23:59', 'dd/MM/yyyy HH:mm').toISO())
const invalid = DateTime.fromISO('2024-02-30')
console.log(invalid.isValid, invalid.invalidReason, invalid.invalidExplanation, DateTime.fromISO('2024-06-01', { zone: 'Mars/Olympus' }).invalidReason)
