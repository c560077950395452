import Foundation
import StackLabCore
import Testing

@testable import StackLabLoad

/// The statements each dialect sends: what a MySQL adapter receives is already in MySQL's syntax.
struct SQLDialectTests {
    @Test func mysqlGetsQuestionMarksInOrder() {
        let sql = "UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2"
        #expect(SQLDialect.postgres.statement(sql) == sql)
        #expect(
            SQLDialect.mysql.statement(sql) == "UPDATE pgbench_accounts SET abalance = abalance + ? WHERE aid = ?")
        #expect(SQLDialect.mysql.statement("SELECT '$' || $10") == "SELECT '$' || ?")
    }

    @Test func eachTransactionPreparesItsStatementsInTheDialect() {
        let tpcb = SQLScript(workload: Workload.SQL(transaction: .tpcb), dialect: .mysql)
        #expect(tpcb.statements.count == 7)
        #expect(tpcb.statements.allSatisfy { !$0.contains("$") })
        // MySQL's binary protocol does not take BEGIN and COMMIT; PostgreSQL's does, as pgbench -M prepared.
        #expect(!tpcb.isPrepared(0) && tpcb.isPrepared(1) && !tpcb.isPrepared(6))
        #expect(SQLScript(workload: Workload.SQL(transaction: .tpcb), dialect: .postgres).isPrepared(0))
        let readWrite = SQLScript(workload: Workload.SQL(transaction: .readWrite), dialect: .mysql)
        #expect(readWrite.statements.contains("INSERT IGNORE INTO sbtest1 (id, k, c, pad) VALUES (?, ?, ?, ?)"))
        #expect(
            SQLScript(workload: Workload.SQL(transaction: .pointSelect), dialect: .postgres).statements == [
                "SELECT abalance FROM pgbench_accounts WHERE aid = $1"
            ])
    }

    @Test func loadingIsServerSideInBothDialects() {
        let postgres = SQLSetup.pgbenchStatements(scale: 2, dialect: .postgres)
        #expect(postgres.contains { $0.contains("FROM generate_series(1, 200000) AS s(n)") })
        let mysql = SQLSetup.pgbenchStatements(scale: 2, dialect: .mysql)
        #expect(mysql.contains { $0.contains("(n - 1) DIV 100000 + 1") && $0.contains("seq_1_to_200000") })
        #expect(mysql.contains("ANALYZE TABLE pgbench_accounts"))
    }

    @Test func sysbenchTextHasItsShape() {
        var random = StackLabLoad.SplitMix64(seed: 7)
        let c = SQLScript.sysbenchText(groups: 10, &random)
        #expect(c.count == 119)
        let groups = c.components(separatedBy: "-").map(\.count)
        #expect(groups == Array(repeating: 11, count: 10))
    }
}
