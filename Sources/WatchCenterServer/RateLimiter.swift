import Synchronization

/// A token bucket per sensor: `rate` batches a second on average, `burst` at once. Kept in the
/// server's memory, so each server of several limits on its own.
final class RateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let rate: Double
    let burst: Double
    let buckets = Mutex<[Int64: Bucket]>([:])

    init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = max(1, burst)
    }

    /// Takes a token for `sensor`; nil if granted, otherwise the seconds until one is free.
    func take(_ sensor: Int64, now: ContinuousClock.Instant = .now) -> Int? {
        guard rate > 0 else { return nil }
        return buckets.withLock { buckets in
            var b = buckets[sensor] ?? Bucket(tokens: burst, updated: now)
            let elapsed = now - b.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            b.tokens = min(burst, b.tokens + seconds * rate)
            b.updated = now
            if b.tokens >= 1 {
                b.tokens -= 1
                buckets[sensor] = b
                return nil
            }
            buckets[sensor] = b
            return max(1, Int(((1 - b.tokens) / rate).rounded(.up)))
        }
    }
}
