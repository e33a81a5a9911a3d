import Foundation
import Outbreak
import Testing
@testable import OutbreakScenarios
import WormWatchCore

@Suite("Scenario presets")
struct ScenarioPresetTests {
    static let scenariosFolder = packageRoot.appendingPathComponent("scenarios")

    @Test("there are presets, with unique names")
    func names() {
        #expect(!ScenarioPresets.names.isEmpty)
        #expect(Set(ScenarioPresets.names).count == ScenarioPresets.names.count)
        #expect(ScenarioPresets.names.contains("codered-v2"))
        #expect(ScenarioPresets.names.contains("small-uniform"))
    }

    @Test("every preset parses, validates, carries its own name and builds an engine", arguments: ScenarioPresets.names)
    func presetIsValid(name: String) throws {
        let scenario = try #require(try ScenarioPresets.scenario(named: name))
        #expect(scenario.name == name)
        #expect(!scenario.summary.isEmpty)
        try scenario.validate()
        _ = try ExactEngine(scenario: scenario)
    }

    @Test("scenarios/*.yaml are exactly the presets (guards scripts/embed-presets)")
    func filesArePresets() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.scenariosFolder.path)
            .filter { $0.hasSuffix(".yaml") }
            .map { String($0.dropLast(".yaml".count)) }
            .sorted()
        #expect(files == ScenarioPresets.names)
    }

    @Test("each preset's text equals its file byte for byte", arguments: ScenarioPresets.names)
    func presetTextMatchesFile(name: String) throws {
        let file = try Data(contentsOf: Self.scenariosFolder.appendingPathComponent("\(name).yaml"))
        let text = try #require(ScenarioPresets.text(named: name))
        #expect(Data(text.utf8) == file, "run scripts/embed-presets after editing scenarios/\(name).yaml")
    }

    @Test("loading a preset's file gives the preset", arguments: ScenarioPresets.names)
    func fileLoadsAsPreset(name: String) throws {
        let fromFile = try ScenarioFile.load(path: Self.scenariosFolder.appendingPathComponent("\(name).yaml").path)
        #expect(try ScenarioPresets.scenario(named: name) == fromFile)
    }

    @Test("an unknown preset is nil, not an error")
    func unknownPreset() throws {
        #expect(ScenarioPresets.text(named: "codered-v3") == nil)
        #expect(try ScenarioPresets.scenario(named: "codered-v3") == nil)
    }

    @Test("codered-v2 holds the published numbers")
    func codeRedV2() throws {
        let s = try #require(try ScenarioPresets.scenario(named: "codered-v2"))
        #expect(s.startTime == 995_536_800)  // 2001-07-19T10:00:00Z
        #expect(s.duration == 24 * 3600)
        #expect(s.space == .ipv4)
        #expect(s.population == Population(size: 360_000, placement: .uniform))
        #expect(s.worm.probeRate == .fixed(6))
        #expect(s.worm.strategy == .uniform(exclude: []))
        #expect(s.worm.lifecycle == Lifecycle(spreadUntilDay: 19, floodUntilDay: 27, floodTarget: IPv4Address("198.137.240.91")!.value))
        #expect(s.monitors.map(\.name) == ["ucsd-8", "lbnl-a", "lbnl-b"])
    }

    @Test("small-uniform: a 2^20 space with no reserved blocks, defaults where keys are left out")
    func smallUniform() throws {
        let s = try #require(try ScenarioPresets.scenario(named: "small-uniform"))
        #expect(s.space == AddressSpace(bits: 20, reserved: []))
        #expect(s.worm.probeBytes == 62)
        #expect(s.worm.strategy == .uniform(exclude: []))
        #expect(s.worm.lifecycle == nil)
        #expect(s.network == Network())
        #expect(s.hostEvents == HostEvents(patchSchedule: [.init(start: 0, rate: 0.2 / 3600)], cleanRate: 0.1 / 3600, rebootRate: 0.5 / 3600))
        #expect(s.monitors[1].prefixes == ["0.0.1.1", "0.0.2.2", "0.8.0.0"].map { IPv4Prefix(base: IPv4Address($0)!.value, length: 32) })
    }
}
