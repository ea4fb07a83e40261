package com.example.lakehouse.format.maxwell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.example.lakehouse.table.Tables;

class MaxwellParserTest {
    /** A parser of the captured tables' mirrors, as the CDC ingest makes it. */
    private static final MaxwellParser PARSER = new MaxwellParser(Tables.load().mirrors());

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
            order line, bad date     | {"database":"gmall","table":"order_detail","type":"update","ts":1700000000,"xid":7,"data":{"id":1,"create_time":"01/03/2024"}} | data.create_time '01/03/2024' is not yyyy-MM-dd HH:mm:ss (ods_order_detail.create_time is TIMESTAMP)
            order, no such day       | {"database":"gmall","table":"order_info","type":"insert","ts":1700000000,"xid":7,"data":{"id":1,"create_time":"2024-02-30 10:00:00"}} | data.create_time '2024-02-30 10:00:00' is not yyyy-MM-dd HH:mm:ss (ods_order_info.create_time is TIMESTAMP)
            amount wider than column | {"database":"gmall","table":"order_info","type":"update","ts":1700000000,"xid":7,"data":{"id":1,"total_amount":12345678901234567.89,"create_time":"2024-03-01 10:00:00"}} | data.total_amount value 12345678901234567.89 does not fit (ods_order_info.total_amount is DECIMAL(16,2))
            more decimals than column| {"database":"gmall","table":"sku_info","type":"insert","ts":1700000000,"xid":7,"data":{"id":1,"price":9.995}} | data.price value 9.995 does not fit (ods_sku_info.price is DECIMAL(10,2))
            widest amount that fits  | {"database":"gmall","table":"order_info","type":"insert","ts":1700000000,"xid":7,"data":{"id":1,"total_amount":99999999999999.99,"create_time":"2024-03-01 10:00:00"}} |
            text in a number column  | {"database":"gmall","table":"order_info","type":"insert","ts":1700000000,"xid":7,"data":{"id":1,"user_id":"x","create_time":"2024-03-01 10:00:00"}} | data.user_id value "x" is not a BIGINT (ods_order_info.user_id is BIGINT)
            bad birthday             | {"database":"gmall","table":"user_info","type":"insert","ts":1700000000,"xid":7,"data":{"id":1,"birthday":"1990-13-01"}} | data.birthday '1990-13-01' is not yyyy-MM-dd (ods_user_info.birthday is DATE)
            a column added at source | {"database":"gmall","table":"sku_info","type":"insert","ts":1700000000,"xid":7,"data":{"id":1,"sku_color":"red"}} |
            uncaptured table         | {"database":"gmall","table":"coupon_info","type":"insert","ts":1700000000,"xid":7,"data":{"id":1,"amount":1e30}} |
            """)
    void acceptsMaxwellChangesAndNamesWhatIsWrongWithTheRest(String description, String message, String problem) {
        assertThat(PARSER.problemWith(message.getBytes(StandardCharsets.UTF_8))).isEqualTo(problem);
    }

    @Test
    void reportsBrokenJsonAndEmptyMessages() {
        assertThat(PARSER.problemWith("{\"database\":".getBytes(StandardCharsets.UTF_8))).startsWith("invalid JSON: ");
        assertThat(PARSER.problemWith(new byte[0])).isEqualTo("empty message");
        assertThat(PARSER.problemWith(null)).isEqualTo("null value (a Kafka tombstone)");
    }

    @Test
    void keepsEveryValueExactlyAsMaxwellWroteIt() {
        MaxwellMessage message = PARSER.parse(("{\"database\":\"gmall\",\"table\":\"order_info\",\"type\":\"update\","
                + "\"ts\":1700000000,\"xid\":7,\"xoffset\":3,\"data\":{\"id\":5,\"total_amount\":12345678901234.57,"
                + "\"consignee\":\"Zhang\",\"payment_way\":null,\"create_time\":\"2024-03-01 10:00:00\",\"tags\":[1,2]},"
                + "\"old\":{\"total_amount\":0.10}}").getBytes(StandardCharsets.UTF_8));

        assertThat(message.problem()).isNull();
        assertThat(message.changeId()).isEqualTo("gmall/order_info/5/1700000000/7/3");
        assertThat(message.rowId()).isEqualTo("5");
        assertThat(message.data()).contains("\"total_amount\":12345678901234.57");
        assertThat(message.old()).isEqualTo("{\"total_amount\":0.10}");
        assertThat(message.values()).containsEntry("total_amount", "12345678901234.57")
                .containsEntry("consignee", "Zhang").containsEntry("payment_way", null).containsEntry("tags", "[1,2]");
    }

    @Test
    void aBootstrapsStartAndCompleteMarkersAreTwoChanges() {
        String start = "{\"database\":\"gmall\",\"table\":\"user_info\",\"type\":\"bootstrap-start\",\"ts\":1700000000,\"data\":{}}";
        String complete = start.replace("bootstrap-start", "bootstrap-complete");

        assertThat(PARSER.parse(start.getBytes(StandardCharsets.UTF_8)).changeId())
                .isNotEqualTo(PARSER.parse(complete.getBytes(StandardCharsets.UTF_8)).changeId());
    }
}
