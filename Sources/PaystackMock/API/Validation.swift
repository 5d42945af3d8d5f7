/// An email as Paystack accepts it: `local@domain.tld`, dot-atom local part of at most 64
/// characters, domain labels of letters, digits and hyphens, no spaces, at most 254 characters.
public func isValidEmail(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard bytes.count <= 254, let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return false }
    let local = bytes[..<at], domain = bytes[(at + 1)...]
    guard (1...64).contains(local.count), !domain.isEmpty else { return false }
    let localSpecials = Set("!#$%&'*+-/=?^_`{|}~.".utf8)
    for byte in local where !(isAlphanumeric(byte) || localSpecials.contains(byte)) { return false }
    if local.first == UInt8(ascii: ".") || local.last == UInt8(ascii: ".") { return false }
    if zip(local, local.dropFirst()).contains(where: { $0 == UInt8(ascii: ".") && $1 == UInt8(ascii: ".") }) { return false }
    let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    guard labels.count >= 2 else { return false }
    for label in labels {
        guard (1...63).contains(label.count), label.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") }),
              label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-")
        else { return false }
    }
    // The top-level label is not all digits (that would be an IP address).
    return !labels.last!.allSatisfy { $0 >= 48 && $0 <= 57 } && labels.last!.count >= 2
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
    return prefix.equalsIgnoringCase("AUTH_") && bytes[5...].allSatisfy(isAlphanumeric)
}

func isAlphanumeric(_ byte: UInt8) -> Bool {
    (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
}

extension String {
    func equalsIgnoringCase(_ other: String) -> Bool { asciiLowercasedEmail == other.asciiLowercasedEmail }
}
