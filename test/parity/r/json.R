# Minimal JSON writer for the parity scripts (no jsonlite dependency): numbers are written
# with 17 significant digits so doubles round-trip exactly; NA/NaN/Inf become null or strings
# the TypeScript side reads back ("Inf", "-Inf").
to_json <- function(x) {
  if (is.null(x)) return("null")
  if (is.list(x)) {
    nm <- names(x)
    items <- vapply(seq_along(x), function(i) to_json(x[[i]]), character(1))
    if (!is.null(nm) && all(nm != "")) {
      keys <- vapply(nm, function(k) paste0('"', k, '"'), character(1))
      return(paste0("{", paste0(keys, ":", items, collapse = ","), "}"))
    }
    return(paste0("[", paste0(items, collapse = ","), "]"))
  }
  if (is.matrix(x)) {
    rows <- lapply(seq_len(nrow(x)), function(i) unname(x[i, ]))
    return(to_json(rows))
  }
  if (is.factor(x)) x <- as.character(x)
  if (is.logical(x)) x <- as.numeric(x)
  if (is.character(x)) {
    s <- paste0('"', gsub('"', '\\\\"', x), '"')
    s[is.na(x)] <- "null"
    return(paste0("[", paste0(s, collapse = ","), "]"))
  }
  v <- as.numeric(x)
  s <- sprintf("%.17g", v)
  s[is.na(v)] <- "null"
  s[is.infinite(v) & v > 0] <- '"Inf"'
  s[is.infinite(v) & v < 0] <- '"-Inf"'
  paste0("[", paste0(s, collapse = ","), "]")
}

write_json <- function(x, path) {
  con <- file(path, "w")
  on.exit(close(con))
  writeLines(to_json(x), con)
}

# A scalar stays a one-element array in this writer; the TypeScript side unwraps.
