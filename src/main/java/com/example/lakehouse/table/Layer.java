package com.example.lakehouse.table;

import java.util.Locale;

/** Warehouse layers; ods ≈ bronze, dim/dwd ≈ silver, dws/ads ≈ gold. A derived table's SQL lives in sql/&lt;layer&gt;/. */
public enum Layer {
    ODS, DIM, DWD, DWS, ADS;

    public String folder() {
        return name().toLowerCase(Locale.ROOT);
    }
}
