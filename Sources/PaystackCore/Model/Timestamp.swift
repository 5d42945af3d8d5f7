/// Seconds since the Unix epoch, UTC. Paystack shows them as `2022-08-15T13:46:39.000Z`; the mock
/// stores second precision (contract decision), so the milliseconds are always `.000`.
public struct Timestamp: Sendable, Hashable, Comparable {
    public var seconds: Int64

    public init(seconds: Int64) {
        self.seconds = seconds
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.seconds < rhs.seconds }

    /// `YYYY-MM-DDTHH:MM:SS.000Z`.
    public var iso8601: String {
        withISO8601 { String(decoding: UnsafeBufferPointer(rebasing: $0.dropFirst().dropLast()), as: UTF8.self) }
    }

    /// Calls `body` with `"YYYY-MM-DDTHH:MM:SS.000Z"` (quotes included) in a stack buffer, so that
    /// response writing builds no String per timestamp (a fetch writes four; one String each was a
    /// visible share of fetch's CPU in the bench/RESULTS.md runs).
    public func withISO8601<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = civilDate(fromDays: days)
        let clampedYear = min(max(year, 0), 9999)
        var text: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                   UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (34, 0, 0, 0, 0, 45, 0, 0, 45, 0, 0, 84, 0, 0, 58, 0, 0, 58, 0, 0, 46, 48, 48, 48, 90, 34)  // "----T::.000Z"
        return withUnsafeMutableBytes(of: &text) { buffer in
            func two(_ value: Int, at offset: Int) {
                buffer[offset] = UInt8(48 + value / 10)
                buffer[offset + 1] = UInt8(48 + value % 10)
            }
            two(clampedYear / 100, at: 1)
            two(clampedYear % 100, at: 3)
            two(month, at: 6)
            two(day, at: 9)
            two(secondOfDay / 3600, at: 12)
            two(secondOfDay / 60 % 60, at: 15)
            two(secondOfDay % 60, at: 18)
            return body(UnsafeBufferPointer(buffer.bindMemory(to: UInt8.self)))
        }
    }

    /// Parses the forms Paystack's list filters take: `2016-09-21`, `2016-09-24T00:00:05.000Z`,
    /// with or without fraction, `Z` or a `±HH:MM` offset (none means UTC). Nil otherwise.
    /// `isDateOnly` tells a caller whether only a date was given.
    public static func parse(_ text: String) -> (timestamp: Timestamp, isDateOnly: Bool)? {
        var text = text
        return text.withUTF8(parse)
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (timestamp: Timestamp, isDateOnly: Bool)? {
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<digits {
                let byte = bytes[index + offset]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += digits
            return value
        }
        func accept(_ character: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), accept(45), let month = number(2), accept(45), let day = number(2),
              (1...12).contains(month), (1...daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        let dayStart = daysFromCivil(year: year, month: month, day: day) * 86_400
        if index == bytes.count { return (Timestamp(seconds: dayStart), true) }
        guard accept(84) || accept(116) || accept(32),
              let hour = number(2), accept(58), let minute = number(2), hour < 24, minute < 60
        else { return nil }
        var second = 0
        if accept(58) {
            // 60 is a leap second (RFC 3339); it is read as 59.
            guard let value = number(2), value <= 60 else { return nil }
            second = min(value, 59)
            if accept(46) {
                let start = index
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
                guard index > start else { return nil }
            }
        }
        var offset = 0
        if accept(90) || accept(122) {
            offset = 0
        } else if index < bytes.count, bytes[index] == 43 || bytes[index] == 45 {
            let sign = bytes[index] == 45 ? -1 : 1
            index += 1
            guard let hours = number(2) else { return nil }
            _ = accept(58)
            guard let minutes = number(2), hours < 24, minutes < 60 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        guard index == bytes.count else { return nil }
        let seconds = dayStart + Int64(hour * 3600 + minute * 60 + second - offset)
        return (Timestamp(seconds: seconds), false)
    }
}

private func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
    let quotient = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
}

private func isLeapYear(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

private func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: isLeapYear(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
private func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
    let y = Int64(month <= 2 ? year - 1 : year)
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let m = Int64(month)
    let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
}

private func civilDate(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (Int(year), Int(month), Int(day))
}
