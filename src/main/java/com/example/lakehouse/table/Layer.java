package com.example.lakehouse.table;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Warehouse layers; ods ≈ bronze, dim/dwd ≈ silver, dws/ads ≈ gold. A table's entry lives in sql/&lt;layer&gt;/. */
public enum Layer {
    ODS, DIM, DWD, DWS, ADS;

    public String folder() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Layer> fromFolder(String folder) {
        return Arrays.stream(values()).filter(layer -> layer.folder().equals(folder)).findFirst();
    }
}
