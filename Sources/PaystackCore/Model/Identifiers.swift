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
    guard (1...64).contains(localLength), domainStart < bytes.count else { return false }
    var previous: UInt8 = 0
    for index in 0..<at {
        let byte = bytes[index]
        guard isASCIIAlphanumeric(byte) || isLocalPartSymbol(byte) else { return false }
        if byte == UInt8(ascii: ".") && (index == 0 || previous == UInt8(ascii: ".")) { return false }
        previous = byte
    }
    if previous == UInt8(ascii: ".") { return false }
    var labels = 0, labelLength = 0, labelStart = domainStart, lastLabelAllDigits = true
    for index in domainStart...bytes.count {
        if index == bytes.count || bytes[index] == UInt8(ascii: ".") {
            guard (1...63).contains(labelLength), bytes[labelStart] != UInt8(ascii: "-"), bytes[index - 1] != UInt8(ascii: "-") else {
                return false
            }
            labels += 1
            if index == bytes.count {
                // The top-level label is at least two characters and not all digits (an IP address).
                return labels >= 2 && labelLength >= 2 && !lastLabelAllDigits
            }
            labelLength = 0
            labelStart = index + 1
            lastLabelAllDigits = true
            continue
        }
        let byte = bytes[index]
        guard isASCIIAlphanumeric(byte) || byte == UInt8(ascii: "-") else { return false }
        if !(byte >= 48 && byte <= 57) { lastLabelAllDigits = false }
        labelLength += 1
    }
    return false
}

/// The non-alphanumeric characters of RFC 5322's dot-atom (and the dot itself).
private func isLocalPartSymbol(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
         UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "?"),
         UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"),
         UInt8(ascii: "~"), UInt8(ascii: "."):
        true
    default:
        false
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
