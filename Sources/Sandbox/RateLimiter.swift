import EventHTTP
import PaystackCore
import Platform

/// `--rate-limit N`: N requests per window (60 s) per integration, as Paystack counts them.
/// Fixed windows on the monotonic clock; the sandbox clock does not move them.
public final class RateLimiter: Sendable {
    public struct Decision: Sendable {
        public let allowed: Bool
        public let limit: Int
        public let remaining: Int
        /// Seconds until the window ends.
        public let resetSeconds: Int
    }

    public let limit: Int
    private let windowNanoseconds: UInt64
    private let windows = LockedValue<[Int: (start: UInt64, count: Int)]>([:])

    public init(limit: Int, windowSeconds: Int = 60) {
        self.limit = limit
        self.windowNanoseconds = UInt64(windowSeconds) * 1_000_000_000
    }

    /// Counts one request of `integration` and says whether it may pass.
    public func take(_ integration: Int, now: UInt64 = monotonicNanoseconds()) -> Decision {
        windows.withLock { windows in
            var window = windows[integration] ?? (now, 0)
            if now - window.start >= windowNanoseconds { window = (now, 0) }
            let allowed = window.count < limit
            if allowed { window.count += 1 }
            windows[integration] = window
            let left = windowNanoseconds - (now - window.start)
            return Decision(
                allowed: allowed, limit: limit, remaining: max(0, limit - window.count),
                resetSeconds: Int((left + 999_999_999) / 1_000_000_000))
        }
    }
}
