import Platform

/// An email as Paystack accepts it: `local@domain.tld`, dot-atom local part of at most 64
/// characters, domain labels of letters, digits and hyphens, no spaces, at most 254 characters.
/// Checked over the UTF-8 bytes: every create checks one, and the rules are all ASCII.
public func isValidEmail(_ text: String) -> Bool {
    var text = text
    return text.withUTF8(isValidEmailBytes)
}

private func isValidEmailBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard bytes.count <= 254, let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return false }
    let localLength = at, domainStart = at + 1
    guard localLength >= 1, localLength <= 64, domainStart < bytes.count else { return false }
    return EmailBytes.classes.withUnsafeBufferPointer { classes in
        let dot = UInt8(ascii: "."), hyphen = UInt8(ascii: "-")
        var previous: UInt8 = dot  // a leading dot is refused as a doubled one is
        for index in 0..<at {
            let byte = bytes[index]
            guard classes[Int(byte)] & EmailBytes.local != 0, byte != dot || previous != dot else { return false }
            previous = byte
        }
        if previous == dot { return false }
        var labels = 0, labelStart = domainStart, lastLabelAllDigits = true
        var index = domainStart
        while true {
            let atEnd = index == bytes.count
            if atEnd || bytes[index] == dot {
                let labelLength = index - labelStart
                guard labelLength >= 1, labelLength <= 63, bytes[labelStart] != hyphen, bytes[index - 1] != hyphen else {
                    return false
                }
                labels += 1
                // The top-level label is at least two characters and not all digits (an IP address).
                if atEnd { return labels >= 2 && labelLength >= 2 && !lastLabelAllDigits }
                labelStart = index + 1
                lastLabelAllDigits = true
            } else {
                let byteClass = classes[Int(bytes[index])]
                guard byteClass & EmailBytes.label != 0 else { return false }
                if byteClass & EmailBytes.digit == 0 { lastLabelAllDigits = false }
            }
            index += 1
        }
    }
}

/// What each byte may be in an email, as bits of a 256-entry table (a create checks one email,
/// and a chain of comparisons per byte cost ~20 instructions a byte). Checked against the
/// character rules for every byte value in the tests.
enum EmailBytes {
    /// RFC 5322's dot-atom: letters, digits, `!#$%&'*+-/=?^_`{|}~` and the dot.
    static let local: UInt8 = 1
    /// A domain label's: letters, digits and the hyphen.
    static let label: UInt8 = 2
    static let digit: UInt8 = 4

    static let classes: [UInt8] = (0...255).map { (value: Int) -> UInt8 in
        let byte = UInt8(value)
        let symbols: StaticString = "!#$%&'*+-/=?^_`{|}~."
        let isSymbol = UnsafeBufferPointer(start: symbols.utf8Start, count: symbols.utf8CodeUnitCount).contains(byte)
        return (isASCIIAlphanumeric(byte) || isSymbol ? local : 0)
            | (isASCIIAlphanumeric(byte) || byte == UInt8(ascii: "-") ? label : 0)
            | (isASCIIDigit(byte) ? digit : 0)
    }
}

/// `CUS_` followed by 15 of `[a-z0-9]`.
public func isValidCustomerCode(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    return bytes.count == 19 && text.hasPrefix("CUS_")
        && bytes[4...].allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) }
}

/// Paystack's rule for deactivation: `/^AUTH_[a-z0-9]+$/i`.
public func isValidAuthorizationCode(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard bytes.count > 5 else { return false }
    let prefix = String(decoding: bytes[0..<5], as: UTF8.self)
    return prefix.equalsIgnoringASCIICase("AUTH_") && bytes[5...].allSatisfy(isASCIIAlphanumeric)
}
