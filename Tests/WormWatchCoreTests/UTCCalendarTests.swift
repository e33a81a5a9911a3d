import Testing
import WormWatchCore

@Suite("UTC calendar and ISO 8601")
struct UTCCalendarTests {
    @Test("days from civil and back agree with known dates, across leap years and before 1970")
    func knownDates() {
        #expect(UTCCalendar.days(year: 1970, month: 1, day: 1) == 0)
        #expect(UTCCalendar.days(year: 2001, month: 7, day: 19) == 11_522)
        #expect(UTCCalendar.days(year: 2000, month: 3, day: 1) - UTCCalendar.days(year: 2000, month: 2, day: 28) == 2)
        #expect(UTCCalendar.days(year: 1900, month: 3, day: 1) - UTCCalendar.days(year: 1900, month: 2, day: 28) == 1)
        #expect(UTCCalendar.days(year: 1969, month: 12, day: 31) == -1)
        for day in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let (y, m, d) = UTCCalendar.date(days: day)
            #expect(UTCCalendar.days(year: Int(y), month: m, day: d) == day)
        }
    }

    @Test("ISO 8601: whole seconds, fractions in groups of three, negative times, parsing")
    func iso8601() {
        #expect(UTCCalendar.iso8601(995_536_800) == "2001-07-19T10:00:00Z")
        #expect(UTCCalendar.iso8601(nanoseconds: 995_536_800_250_000_000) == "2001-07-19T10:00:00.250Z")
        #expect(UTCCalendar.iso8601(nanoseconds: 995_536_800_000_001_000) == "2001-07-19T10:00:00.000001Z")
        #expect(UTCCalendar.iso8601(nanoseconds: -1) == "1969-12-31T23:59:59.999999999Z")
        #expect(UTCCalendar.iso8601(-86_400 * 365) == "1969-01-01T00:00:00Z")
        #expect(UTCCalendar.parseISO8601("2001-07-19T10:00:00Z") == 995_536_800)
        #expect(UTCCalendar.parseISO8601("2001-07-19") == 995_500_800)
        #expect(UTCCalendar.parseISO8601("2001-02-29") == nil)
        #expect(UTCCalendar.parseISO8601("2000-02-29") != nil)
        #expect(UTCCalendar.parseISO8601("2001-07-19T24:00:00Z") == nil)
        #expect(UTCCalendar.parseISO8601("2001-07-19 10:00:00Z") == nil)
        #expect(UTCCalendar.date(995_536_800) == (2001, 7, 19))
        #expect(UTCCalendar.date(-1) == (1969, 12, 31))
    }

    static let t0: Int64 = 995_536_800 * 1_000_000_000  // 2001-07-19T10:00:00Z

    @Test("times: fraction only when not zero, in groups of three digits, before 1970 too")
    func times() {
        #expect(UTCCalendar.iso8601(nanoseconds: Self.t0) == "2001-07-19T10:00:00Z")
        #expect(UTCCalendar.iso8601(nanoseconds: Self.t0 + 250_000_000) == "2001-07-19T10:00:00.250Z")
        #expect(UTCCalendar.iso8601(nanoseconds: Self.t0 + 1_000) == "2001-07-19T10:00:00.000001Z")
        #expect(UTCCalendar.iso8601(nanoseconds: Self.t0 + 1) == "2001-07-19T10:00:00.000000001Z")
        #expect(UTCCalendar.iso8601(nanoseconds: 0) == "1970-01-01T00:00:00Z")
        #expect(UTCCalendar.iso8601(nanoseconds: -1) == "1969-12-31T23:59:59.999999999Z")
        #expect(UTCCalendar.iso8601(nanoseconds: 1_074_556_800 * 1_000_000_000) == "2004-01-20T00:00:00Z")
        #expect(UTCCalendar.iso8601(nanoseconds: 951_782_400 * 1_000_000_000) == "2000-02-29T00:00:00Z")
        #expect(UTCCalendar.iso8601(nanoseconds: .max) == "2262-04-11T23:47:16.854775807Z")
        #expect(UTCCalendar.iso8601(nanoseconds: .min) == "1677-09-21T00:12:43.145224192Z")
    }

    @Test("addresses in dotted quad")
    func addresses() {
        #expect(IPv4Address(0).description == "0.0.0.0")
        #expect(IPv4Address(0xFFFF_FFFF).description == "255.255.255.255")
        #expect(IPv4Address(0xC633_6409).description == "198.51.100.9")
    }

}
