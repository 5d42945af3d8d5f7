import EventHTTP

/// The random source of generated codes: xoshiro256**, seeded from the system unless a seed is
/// given (deterministic mode). Shared by all loops behind a lock.
public final class RandomSource: Sendable {
    private let state: LockedValue<(UInt64, UInt64, UInt64, UInt64)>

    public init(seed: UInt64? = nil) {
        var splitmix = seed ?? UInt64.random(in: .min ... .max)
        func next() -> UInt64 {
            splitmix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitmix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = LockedValue((next(), next(), next(), next()))
    }

    public func next() -> UInt64 {
        state.withLock { s in
            let result = rotateLeft(s.1 &* 5, 7) &* 9
            let t = s.1 << 17
            s.2 ^= s.0
            s.3 ^= s.1
            s.1 ^= s.2
            s.0 ^= s.3
            s.2 ^= t
            s.3 = rotateLeft(s.3, 45)
            return result
        }
    }

    /// `count` characters drawn uniformly (to within 2^-60) from `alphabet`.
    public func string(count: Int, from alphabet: StaticString) -> String {
        let symbols = UnsafeBufferPointer(start: alphabet.utf8Start, count: alphabet.utf8CodeUnitCount)
        let base = UInt64(symbols.count)
        var perDraw = 0
        var span: UInt64 = 1
        while span <= (UInt64(1) << 62) / base {
            span *= base
            perDraw += 1
        }
        var bits: UInt64 = 0
        var remaining = 0
        return String(unsafeUninitializedCapacity: count) { buffer in
            for index in 0..<count {
                if remaining == 0 {
                    bits = next()
                    remaining = perDraw
                }
                buffer[index] = symbols[Int(bits % base)]
                bits /= base
                remaining -= 1
            }
            return count
        }
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
