import Foundation
import StackLabCore
import Testing

/// The one rule for `STACKLAB_HOME`: set and not empty, it is the home; unset or empty, `~/.stacklab`.
struct StackLabHomeTests {
    let standard = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".stacklab").path

    @Test func anEmptyHomeIsTheDefaultAsAnUnsetOneIs() {
        for environment in [["STACKLAB_HOME": ""], [:]] {
            #expect(StackLabHome.directory(environment: environment).path == standard)
            #expect(StackLabHome.runs(environment: environment).path == standard + "/runs")
            #expect(StackLabHome.virtualEnvironment(environment: environment).path == standard + "/venv")
        }
    }

    @Test func aSetHomeHoldsEverything() {
        let environment = ["STACKLAB_HOME": "/srv/lab"]
        #expect(StackLabHome.directory(environment: environment).path == "/srv/lab")
        #expect(StackLabHome.runs(environment: environment).path == "/srv/lab/runs")
    }
}
