package com.example.lakehouse.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaxwellParserTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            insert                   | {"database":"gmall","table":"user_info","type":"insert","ts":1700000000,"xid":7,"commit":true,"data":{"id":1}} |
            update in a transaction  | {"database":"gmall","table":"user_info","type":"update","ts":1700000000,"xid":7,"xoffset":0,"data":{"id":1},"old":{"name":"a"}} |
            bootstrap-insert         | {"database":"gmall","table":"user_info","type":"bootstrap-insert","ts":1700000000,"data":{"id":1}} |
            bootstrap-start          | {"database":"gmall","table":"user_info","type":"bootstrap-start","ts":1700000000,"data":{}} |
            an array                 | [1,2]                                                                                      | not a JSON object
            no table                 | {"database":"gmall","type":"insert","ts":1700000000,"xid":7,"data":{"id":1}}                | missing table
            ts in milliseconds       | {"database":"gmall","table":"t","type":"insert","ts":1700000000000,"xid":7,"data":{"id":1}} | ts 1700000000000 is not epoch seconds between 2000 and 2100
            ts as text               | {"database":"gmall","table":"t","type":"insert","ts":"1700000000","xid":7,"data":{"id":1}}  | missing or non-integer ts
            binlog change, no xid    | {"database":"gmall","table":"t","type":"delete","ts":1700000000,"data":{"id":1}}            | binlog change without xid
            xoffset as text          | {"database":"gmall","table":"t","type":"update","ts":1700000000,"xid":7,"xoffset":"0","data":{"id":1}} | xoffset is not an integer
            no data                  | {"database":"gmall","table":"t","type":"insert","ts":1700000000,"xid":7}                    | missing data object
            no id                    | {"database":"gmall","table":"t","type":"insert","ts":1700000000,"xid":7,"data":{"name":"a"}} | data.id missing or not an integer
            DDL or unknown type      | {"database":"gmall","table":"t","type":"table-create","ts":1700000000,"xid":7}              | unknown type 'table-create'
            order with create_time   | {"database":"gmall","table":"order_info","type":"insert","ts":1700000000,"xid":7,"data":{"id":1,"create_time":"2024-03-01 10:00:00"}} |
            order, no create_time    | {"database":"gmall","table":"order_info","type":"insert","ts":1700000000,"xid":7,"data":{"id":1}} | data.create_time missing (the mirror is partitioned by its date)
            order line, bad date     | {"database":"gmall","table":"order_detail","type":"update","ts":1700000000,"xid":7,"data":{"id":1,"create_time":"01/03/2024"}} | data.create_time '01/03/2024' is not yyyy-MM-dd HH:mm:ss
            """)
    void acceptsMaxwellChangesAndNamesWhatIsWrongWithTheRest(String description, String message, String problem) {
        assertThat(MaxwellParser.problemWith(message.getBytes(StandardCharsets.UTF_8))).isEqualTo(problem);
    }

    @Test
    void reportsBrokenJsonAndEmptyMessages() {
        assertThat(MaxwellParser.problemWith("{\"database\":".getBytes(StandardCharsets.UTF_8))).startsWith("invalid JSON: ");
        assertThat(MaxwellParser.problemWith(new byte[0])).isEqualTo("empty message");
        assertThat(MaxwellParser.problemWith(null)).isEqualTo("empty message");
    }
}
