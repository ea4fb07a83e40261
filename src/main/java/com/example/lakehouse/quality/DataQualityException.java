package com.example.lakehouse.quality;

/** A table's data broke one of its checks; the message names the table, the check and sample rows. */
public final class DataQualityException extends IllegalStateException {
    public DataQualityException(String message) {
        super(message);
    }
}
