package com.example.lakehouse.format.maxwell;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import com.example.lakehouse.table.MirrorTable;

/**
 * The order of changes to one source row: by ts (epoch seconds), then xid (the binlog transaction),
 * then xoffset (the row's place in the transaction). Maxwell leaves two of these out, and both gaps
 * are filled so that the order stays true:
 * <ul>
 *   <li>xoffset is missing on the last row of a transaction (the one with "commit": true), which is the
 *       newest change of that transaction: it counts as the largest xoffset.</li>
 *   <li>xid is missing on bootstrap-insert rows, which Maxwell reads with a SELECT at time ts: it counts
 *       as smaller than any xid, so a binlog change in the same second wins. That is right either way:
 *       a change made before the SELECT is also in the row it read, one made after it is newer.</li>
 * </ul>
 */
public final class ChangeVersion {
    public static final long BOOTSTRAP_XID = -1L;
    public static final long LAST_IN_TRANSACTION = Long.MAX_VALUE;

    private ChangeVersion() {
    }

    /** True where the change in {@code newer} (an alias with the version columns) comes after the one in {@code older}. */
    public static Column isNewer(String newer, String older) {
        Column ts = col(newer + ".change_ts");
        Column xid = col(newer + ".change_xid");
        Column xoffset = col(newer + ".change_xoffset");
        Column olderTs = col(older + ".change_ts");
        Column olderXid = col(older + ".change_xid");
        Column olderXoffset = col(older + ".change_xoffset");
        return ts.gt(olderTs)
                .or(ts.equalTo(olderTs).and(xid.gt(olderXid)))
                .or(ts.equalTo(olderTs).and(xid.equalTo(olderXid)).and(xoffset.gt(olderXoffset)));
    }

    /** The newest change per row id; an upsert needs one source row per key. */
    public static Dataset<Row> latestPerRow(Dataset<Row> changes) {
        return changes
                .withColumn("version_rank", row_number().over(Window.partitionBy(MirrorTable.KEY)
                        .orderBy(col("change_ts").desc(), col("change_xid").desc(), col("change_xoffset").desc())))
                .where(col("version_rank").equalTo(1))
                .drop("version_rank");
    }
}
