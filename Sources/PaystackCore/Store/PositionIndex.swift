import Platform

/// A hash index from a key (a customer code; an email, its ASCII letters compared in either case)
/// to a position in a ledger.
///
/// Why not `[String: Int]`: a Swift dictionary keeps no hashes, so each probe of a lookup compares
/// whole strings, reading each probed key's heap buffer; measured on create, the two indexes cost
/// about 3 µs of the request's ~30. Here a slot is one word — 32 bits of the key's hash and the
/// position — so a probe compares integers, and the ledger's own customer is read once, to confirm
/// the key of a slot whose hash matches. It also keeps no second copy of each key, which matters at
/// a million customers. Open addressing, linear probing, at most half full; nothing is ever removed
/// (a ledger only appends; a reset replaces it).
///
/// The slots are split into 64 shards by other bits of the hash, each growing on its own: a shard
/// that fills rehashes 1/64 of the keys (about 0.3 ms at a million customers, where one table
/// rehashed all of them in one ~20 ms step under the ledger's lock), and a copy of the index (an
/// export) costs the next insert one shard, not the whole table.
struct PositionIndex: Sendable {
    private struct Shard: Sendable {
        /// 0 = empty; else the hash's low 32 bits above, position + 1 below.
        var slots: [UInt64] = []
        var count = 0
    }

    private static let shardBits = 6
    /// Empty until the first insert or reservation (an empty integration costs nothing).
    private var shards: [Shard] = []
    private(set) var count = 0

    init() {}

    private static func shard(of hash: Int) -> Int {
        Int(truncatingIfNeeded: UInt64(bitPattern: Int64(hash)) >> 32) & ((1 << shardBits) - 1)
    }

    /// Room for `count` keys without regrowing.
    mutating func reserveCapacity(_ count: Int) {
        if shards.isEmpty { shards = Array(repeating: Shard(), count: 1 << Self.shardBits) }
        // Hashes spread keys evenly; a little headroom absorbs the unevenness.
        let perShard = count >> Self.shardBits + count >> (Self.shardBits + 3)
        let needed = Self.capacity(for: perShard)
        for index in shards.indices where needed > shards[index].slots.count {
            Self.rehash(&shards[index], into: needed)
        }
    }

    /// The position stored under `hash` whose key `isKey` confirms, if any.
    func position(hash: Int, where isKey: (Int) -> Bool) -> Int? {
        guard !shards.isEmpty else { return nil }
        return shards[Self.shard(of: hash)].slots.withUnsafeBufferPointer { slots in
            guard !slots.isEmpty else { return nil }
            let tag = UInt64(UInt32(truncatingIfNeeded: hash))
            let mask = slots.count - 1
            var slot = Int(tag) & mask
            while true {
                let entry = slots[slot]
                if entry == 0 { return nil }
                if entry >> 32 == tag {
                    let position = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                    if isKey(position) { return position }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Stores `position` under `hash`; the key must not be in the index yet.
    mutating func insert(hash: Int, position: Int) {
        precondition(position >= 0 && position < Int(UInt32.max), "position out of range")
        if shards.isEmpty { shards = Array(repeating: Shard(), count: 1 << Self.shardBits) }
        let index = Self.shard(of: hash)
        let wanted = Self.capacity(for: shards[index].count + 1)
        if wanted > shards[index].slots.count { Self.rehash(&shards[index], into: wanted) }
        let tag = UInt64(UInt32(truncatingIfNeeded: hash))
        Self.place(tag << 32 | UInt64(position + 1), in: &shards[index].slots)
        shards[index].count += 1
        count += 1
    }

    /// A power of two at least twice `count` (and at least 8).
    private static func capacity(for count: Int) -> Int {
        var capacity = 8
        while capacity < count * 2 { capacity *= 2 }
        return capacity
    }

    private static func rehash(_ shard: inout Shard, into capacity: Int) {
        var grown = [UInt64](repeating: 0, count: capacity)
        for entry in shard.slots where entry != 0 {
            place(entry, in: &grown)
        }
        shard.slots = grown
    }

    /// Puts `entry` in the first free slot of its probe sequence (the slot its tag names, onwards).
    private static func place(_ entry: UInt64, in slots: inout [UInt64]) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: entry >> 32) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = entry
    }
}

extension PositionIndex {
    /// The hash a customer code is indexed by.
    static func hash(code: String) -> Int {
        var code = code
        return code.withUTF8 { keyHash($0, lowered: false) }
    }

    /// The hash an email is indexed by: that of its bytes with ASCII letters lowered (contract
    /// decision: emails match case-insensitively), lowered word by word as they are hashed.
    static func hash(email: String) -> Int {
        var email = email
        return email.withUTF8 { keyHash($0, lowered: true) }
    }

    /// A seeded hash of a key's bytes, eight at a time: each word is folded into the state by a
    /// 64 × 64 → 128-bit multiply whose halves are xored (the "folded multiply" of wyhash and
    /// foldhash), the length goes into the last fold, and a final fold spreads every bit over the
    /// word. With Swift's `Hasher` (SipHash-1-3) hashing a customer code took ~340 instructions and
    /// an email, with its lowering, ~540, of a create's ~55,000; now ~140 and ~170, the string's
    /// retain and release included (callgrind). A weaker hash costs only probes: a matching slot is
    /// confirmed against the key itself. The seed is drawn per process, so which keys collide is not
    /// known ahead of time.
    private static func keyHash(_ bytes: UnsafeBufferPointer<UInt8>, lowered: Bool) -> Int {
        var state = keyHashSeed
        let count = bytes.count
        func word(_ word: UInt64) -> UInt64 { lowered ? ByteWord.asciiLowered(word) : word }
        var last: UInt64 = 0
        if let base = bytes.baseAddress {
            var offset = 0
            while count - offset > 8 {
                state = fold(state ^ word(ByteWord.load(base + offset)), 0x9E37_79B9_7F4A_7C15)
                offset += 8
            }
            // The last eight bytes, overlapping words already folded when the key is not a multiple
            // of eight long; a key shorter than a word is read byte by byte, no further than its end.
            last = count >= 8 ? ByteWord.load(base + count - 8) : ByteWord.load(base, count: count)
        }
        state = fold(state ^ word(last), 0xBF58_476D_1CE4_E5B9 ^ UInt64(count))
        return Int(truncatingIfNeeded: fold(state, 0x94D0_49BB_1331_11EB))
    }

    private static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }
}

/// Drawn once per process (a stored global: read through one lazy-initialisation check).
private let keyHashSeed = UInt64.random(in: .min ... .max)
