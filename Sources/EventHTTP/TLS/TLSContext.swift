import CTLS
import Platform

/// Why TLS could not be set up: OpenSSL's reason, or a file that could not be made.
public struct TLSError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// An OpenSSL context, read-only once made and shared by every loop.
final class OpenSSLContext: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer

    init(_ pointer: UnsafeMutableRawPointer) {
        self.pointer = pointer
    }

    deinit {
        ctls_context_free(pointer)
    }

    /// Runs `make` with an error buffer; throws its text when `make` gives nothing.
    static func make(_ make: (UnsafeMutablePointer<CChar>, Int) -> UnsafeMutableRawPointer?) throws(TLSError) -> OpenSSLContext {
        var error = [CChar](repeating: 0, count: 512)
        guard let pointer = make(&error, error.count) else { throw TLSError(String(cBuffer: error)) }
        return OpenSSLContext(pointer)
    }
}

/// The server side: a certificate chain and its key (PEM), TLS 1.2 and 1.3, no renegotiation, HTTP/1.1 only.
public struct TLSServerContext: Sendable {
    let context: OpenSSLContext

    public init(chainPath: String, keyPath: String) throws(TLSError) {
        context = try OpenSSLContext.make { ctls_server_context_new(chainPath, keyPath, $0, $1) }
    }
}

/// The client side (webhook deliveries): the system's CA store plus `extraCAPath`; `insecure` verifies nothing.
///
/// Made on first use: loading the system's CA store is tens of milliseconds of PEM parsing, most
/// of the server's start-up, for a context only https:// webhook receivers need. A CA file the
/// user named is read at once, so that a bad path fails at start-up.
public struct TLSClientContext: Sendable {
    private let made = LockedValue<OpenSSLContext?>(nil)
    private let extraCAPath: String?
    public let insecure: Bool

    public init(extraCAPath: String? = nil, insecure: Bool = false) throws(TLSError) {
        self.extraCAPath = extraCAPath
        self.insecure = insecure
        if extraCAPath != nil { _ = try context }
    }

    var context: OpenSSLContext {
        get throws(TLSError) {
            try made.withLock { (made) throws(TLSError) -> OpenSSLContext in
                if let made { return made }
                let context = try OpenSSLContext.make { ctls_client_context_new(extraCAPath, insecure ? 1 : 0, $0, $1) }
                made = context
                return context
            }
        }
    }
}
