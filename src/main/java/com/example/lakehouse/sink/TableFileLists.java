package com.example.lakehouse.sink;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.VersionChecksum;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.RemoveFile;

import scala.Option;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Every file of a table's version without rebuilding the version's state from the log, which Delta does in Spark jobs
 * for each new version a transaction reads: half a second or more that every micro-batch of a table paid once the
 * table had more files than its checksum lists (a year of days, docs/benchmarks.md). Delta lists a version's files in
 * its checksum while the table has at most {@code spark.databricks.delta.allFilesInCrc.thresholdNumFiles} (50 by
 * default); raising that limit writes the whole list into every commit's checksum, megabytes a commit that the log
 * keeps for its retention. Instead, this JVM keeps the list of the last version it saw of each table and brings it
 * forward through the commits since, read from their JSON, as Delta's checksum does from one commit to the next. The
 * state is rebuilt only for the first version seen of a table past the checksum's list, for a table made anew at the
 * same place, for a version older than the list, or when the commits between are no longer in the log.
 */
final class TableFileLists {
    /** The files of each table (by location) at the last version this JVM listed. */
    private static final Map<String, Listed> LISTED = new ConcurrentHashMap<>();

    private TableFileLists() {
    }

    /** A table's files at {@code version}, by path; {@code tableId} tells a table made again at the same location. */
    private static final class Listed {
        private String tableId;
        private long version = -1;
        private final Map<String, AddFile> files = new HashMap<>();

        private void reset(String id, long at, Collection<AddFile> all) {
            tableId = id;
            version = at;
            files.clear();
            all.forEach(file -> files.put(file.path(), file));
        }
    }

    /** The files of the snapshot's version: from its checksum, from the version listed before, or from its state. */
    static List<AddFile> of(Snapshot snapshot) {
        DeltaLog log = snapshot.deltaLog();
        String tableId = snapshot.metadata().id();
        Listed listed = LISTED.computeIfAbsent(log.dataPath().toString(), any -> new Listed());
        synchronized (listed) {
            Option<VersionChecksum> checksum = snapshot.checksumOpt();
            if (checksum.isDefined() && checksum.get().allFiles().isDefined()) {
                listed.reset(tableId, snapshot.version(), CollectionConverters.asJava(checksum.get().allFiles().get()));
            } else if (!tableId.equals(listed.tableId) || !broughtForward(listed, log, snapshot.version())) {
                listed.reset(tableId, snapshot.version(), snapshot.allFiles().collectAsList());
            }
            return new ArrayList<>(listed.files.values());
        }
    }

    /**
     * Applies the commits after the listed version up to {@code version} to the list; false when the list is of a later
     * version (another transaction's, of this JVM) or a commit between is missing from the log, when it is rebuilt.
     */
    private static boolean broughtForward(Listed listed, DeltaLog log, long version) {
        if (listed.version < 0 || listed.version > version) {
            return false;
        }
        if (listed.version == version) {
            return true;
        }
        long next = listed.version + 1;
        Iterator<Tuple2<Object, Seq<Action>>> commits = log.getChanges(next, version, false);
        while (commits.hasNext()) {
            Tuple2<Object, Seq<Action>> commit = commits.next();
            if ((Long) commit._1() != next) {
                return false;
            }
            List<Action> actions = CollectionConverters.asJava(commit._2());
            // removes first: a commit that rewrites a file (a deletion vector added) removes and adds the same path
            for (Action action : actions) {
                if (action instanceof RemoveFile removed) {
                    listed.files.remove(removed.path());
                }
            }
            for (Action action : actions) {
                if (action instanceof AddFile added) {
                    listed.files.put(added.path(), added);
                }
            }
            listed.version = next++;
        }
        return listed.version == version;
    }
}
