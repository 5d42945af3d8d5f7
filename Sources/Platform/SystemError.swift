#if canImport(Glibc)
import Glibc
#endif

/// A failed system or C-library call, with the call's name and errno's text.
public struct SystemError: Error, CustomStringConvertible, Sendable, Equatable {
    public let call: String
    public let code: Int32

    /// `code` defaults to the current `errno`.
    public init(call: String, code: Int32 = errno) {
        self.call = call
        self.code = code
    }

    /// errno's text, e.g. `No space left on device`.
    public var reason: String { errnoText(code) }

    public var description: String { "\(call) failed: \(reason)" }
}

/// The text of an errno value.
public func errnoText(_ code: Int32) -> String {
    String(cString: strerror(code))
}

/// Runs a system call that answers -1 (with errno) on failure, retrying on `EINTR`; throws on failure.
@discardableResult
public func systemCall<Result: BinaryInteger>(_ name: @autoclosure () -> String, _ call: () -> Result) throws(SystemError) -> Result {
    while true {
        let result = call()
        if result != -1 { return result }
        let code = errno
        if code != EINTR { throw SystemError(call: name(), code: code) }
    }
}
