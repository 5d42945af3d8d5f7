/// Equality whose time depends only on the lengths, never on where the first difference is: for
/// secrets (keys, tokens), so that timing says nothing about how much of a guess was right.
///
/// Reads eight bytes at a time (every word is read; differences are only accumulated): keys are
/// compared on every request, and the byte-at-a-time loop was a visible share of a fetch's
/// authentication in the create/fetch benchmarks (bench/RESULTS.md).
public func constantTimeEquals(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    let common = min(a.count, b.count)
    var difference: UInt64 = a.count == b.count ? 0 : 1
    var index = 0
    if let left = a.baseAddress, let right = b.baseAddress {
        while index + 8 <= common {
            difference |= UnsafeRawPointer(left + index).loadUnaligned(as: UInt64.self)
                ^ UnsafeRawPointer(right + index).loadUnaligned(as: UInt64.self)
            index += 8
        }
    }
    while index < common {
        difference |= UInt64(a[index] ^ b[index])
        index += 1
    }
    return difference == 0
}

/// `constantTimeEquals` of two strings' UTF-8 bytes.
public func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    var a = a, b = b
    return a.withUTF8 { left in b.withUTF8 { right in constantTimeEquals(left, right) } }
}
