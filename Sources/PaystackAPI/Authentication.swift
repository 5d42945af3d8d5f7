import EventHTTP
import PaystackCore
import Platform

extension CustomerStore {
    /// The account of the request's `Authorization: Bearer <secret key>`, or one of Paystack's three 401s.
    public func authenticate(_ request: HTTPRequest) throws(PaystackError) -> Account {
        // An exact class check, not `as?`: the runtime's general cast was ~150 instructions and
        // a code path of its own on every request (`Authentication` is final).
        if let context = request.context, ObjectIdentifier(type(of: context)) == ObjectIdentifier(Authentication.self) {
            return try unsafeDowncast(context, to: Authentication.self).result.get()
        }
        return try authenticate(header: request)
    }

    /// Authenticates once, for the responder wrapping the routes: the routes then reuse the result.
    public func authentication(of request: HTTPRequest) -> Authentication {
        Authentication(result: Result { () throws(PaystackError) in try authenticate(header: request) })
    }

    private func authenticate(header request: HTTPRequest) throws(PaystackError) -> Account {
        // Matched on the header's bytes: no String is made of the key.
        let outcome: Result<Account, PaystackError>? = request.headers.withValue("Authorization") { bytes in
            guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 }) else {
                return .failure(PaystackError.unauthorized(Messages.noAuthorizationHeader))
            }
            guard let token = bearerTokenRange(bytes) else {
                return .failure(PaystackError.unauthorized(Messages.badAuthorizationFormat))
            }
            guard let account = account(forSecretKey: UnsafeBufferPointer(rebasing: bytes[token])) else {
                return .failure(PaystackError.unauthorized(Messages.invalidKey))
            }
            return .success(account)
        }
        guard let outcome else { throw PaystackError.unauthorized(Messages.noAuthorizationHeader) }
        return try outcome.get()
    }
}

/// The outcome of authenticating a request, carried in `HTTPRequest.context`.
public final class Authentication: Sendable {
    public let result: Result<Account, PaystackError>

    init(result: Result<Account, PaystackError>) {
        self.result = result
    }
}

/// The token of `Bearer <token>` (scheme case-insensitive, one run of blanks between), else nil.
public func bearerToken(_ header: String) -> String? {
    var header = header
    return header.withUTF8 { bytes in
        bearerTokenRange(bytes).map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
    }
}

/// Where the token of `Bearer <token>` lies in `bytes`, else nil. Read in place, with no String
/// made of the key: part of the create-path work measured in bench/RESULTS.md.
func bearerTokenRange(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
    @inline(__always) func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
    var start = 0, end = bytes.count
    while start < end, isBlank(bytes[start]) { start += 1 }
    while end > start, isBlank(bytes[end - 1]) { end -= 1 }
    let scheme: StaticString = "bearer"
    let schemeLength = scheme.utf8CodeUnitCount
    guard end - start > schemeLength else { return nil }
    let expected = scheme.utf8Start
    for offset in 0..<schemeLength where bytes[start + offset] | 0x20 != expected[offset] { return nil }
    guard isBlank(bytes[start + schemeLength]) else { return nil }
    var tokenStart = start + schemeLength
    while tokenStart < end, isBlank(bytes[tokenStart]) { tokenStart += 1 }
    guard tokenStart < end else { return nil }
    guard !containsBlank(UnsafeBufferPointer(rebasing: bytes[tokenStart..<end])) else { return nil }
    return tokenStart..<end
}

/// Whether a space or a tab occurs in `bytes`, eight at a time (`ByteWord`). Every authenticated
/// request scans its key: byte by byte it was ~8 instructions a byte, ~400 a request.
func containsBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var index = 0
    if let base = bytes.baseAddress {
        while index + 8 <= bytes.count {
            let word = ByteWord.load(base + index)
            if ByteWord.equal(word, 0x20) | ByteWord.equal(word, 0x09) != 0 { return true }
            index += 8
        }
    }
    while index < bytes.count {
        if bytes[index] == 0x20 || bytes[index] == 0x09 { return true }
        index += 1
    }
    return false
}
