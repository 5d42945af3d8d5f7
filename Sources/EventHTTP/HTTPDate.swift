#if canImport(Glibc)
import Glibc
#endif

/// The `Date` field's value, `Wed, 02 Dec 2026 05:01:53 GMT` (RFC 9110's IMF-fixdate, as libevent
/// writes it), made again only when the second changes. One per event loop: not shared.
struct HTTPDate {
    private var second = -1
    private var text = ""

    /// The value for now (the system's clock, not the sandbox's).
    var current: String {
        mutating get {
            let now = time(nil)
            if now != second {
                second = now
                text = Self.format(now)
            }
            return text
        }
    }

    static func format(_ seconds: Int) -> String {
        var time = time_t(seconds), parts = tm()
        gmtime_r(&time, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(1900 + parts.tm_year) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
