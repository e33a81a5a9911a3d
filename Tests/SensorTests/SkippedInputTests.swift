import Testing
@testable import Sensor

@Suite struct SkippedInputTests {
    @Test func keepsTheFirstExamplesAndCountsAll() {
        var skipped = SkippedInput(exampleLimit: 2)
        for line in 1...5 { skipped.record("a.log:\(line)", "garbage") }
        #expect(skipped.count == 5)
        #expect(skipped.examples.map(\.description) == ["a.log:1: garbage", "a.log:2: garbage"])
        var other = SkippedInput(exampleLimit: 2)
        other.record("b.pcap: packet 3 (offset 96)", "caplen 70000 larger than snaplen 65535")
        var merged = SkippedInput(exampleLimit: 3)
        merged.merge(skipped)
        merged.merge(other)
        #expect(merged.count == 6)
        #expect(merged.examples.last?.description == "b.pcap: packet 3 (offset 96): caplen 70000 larger than snaplen 65535")
    }
}
