# Reference values for the metrics parity test (test/parity/metrics-proc.test.ts), from pROC on
# its bundled aSAH data set (113 patients, 41 with poor outcome), plus R's own prop.test (Wilson
# interval) and glm (logistic recalibration). Usage: Rscript metrics-proc.R <out.json>
# Writes the data and the results, so the TypeScript side computes on exactly the same numbers.
suppressPackageStartupMessages(library(pROC))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript metrics-proc.R <out.json>")

# A tiny JSON writer (no jsonlite): 17 significant digits so doubles round-trip exactly.
json <- function(x) {
  if (is.list(x)) {
    nm <- names(x)
    items <- vapply(x, json, character(1))
    if (!is.null(nm)) return(paste0("{", paste0('"', nm, '":', items, collapse = ","), "}"))
    return(paste0("[", paste0(items, collapse = ","), "]"))
  }
  if (is.character(x)) return(paste0("[", paste0('"', x, '"', collapse = ","), "]"))
  s <- sprintf("%.17g", as.numeric(x))
  s[is.na(x)] <- "null"
  paste0("[", paste0(s, collapse = ","), "]")
}

data(aSAH)
y <- as.numeric(aSAH$outcome == "Poor")
markers <- list(s100b = aSAH$s100b, ndka = aSAH$ndka, wfns = as.numeric(aSAH$wfns), age = aSAH$age)

# direction "<": controls (Good) have lower values, i.e. a higher score means more likely a case,
# the convention of the TypeScript side. Explicit levels and direction: no auto-detection.
rocs <- lapply(markers, function(s) roc(y, s, levels = c(0, 1), direction = "<", quiet = TRUE))

single <- lapply(names(rocs), function(k) {
  r <- rocs[[k]]
  ci95 <- ci.auc(r, method = "delong")
  ci90 <- ci.auc(r, method = "delong", conf.level = 0.9)
  list(
    marker = k,
    auc = as.numeric(auc(r)),
    ci95 = as.numeric(ci95),
    ci90 = as.numeric(ci90),
    var = var(r, method = "delong")
  )
})

pairs <- list(c("s100b", "ndka"), c("s100b", "wfns"), c("wfns", "ndka"), c("age", "s100b"))
paired <- lapply(pairs, function(p) {
  t <- roc.test(rocs[[p[1]]], rocs[[p[2]]], method = "delong", paired = TRUE)
  list(a = p[1], b = p[2], z = as.numeric(t$statistic), p = as.numeric(t$p.value))
})

# Wilson intervals: the confusion matrix of s100b at threshold 0.2 (score >= 0.2 is positive).
pos <- markers$s100b >= 0.2
tp <- sum(pos & y == 1); fn <- sum(!pos & y == 1); fp <- sum(pos & y == 0); tn <- sum(!pos & y == 0)
wilson <- function(x, n, level) as.numeric(prop.test(x, n, correct = FALSE, conf.level = level)$conf.int)
props <- list(
  threshold = 0.2,
  counts = c(tp, fp, tn, fn),
  sensitivity = wilson(tp, tp + fn, 0.95),
  specificity = wilson(tn, tn + fp, 0.95),
  ppv = wilson(tp, tp + fp, 0.95),
  npv = wilson(tn, tn + fn, 0.95),
  accuracy = wilson(tp + tn, length(y), 0.95),
  sensitivity90 = wilson(tp, tp + fn, 0.9)
)

# Calibration of a fixed risk model p = expit(-2 + 3 s100b + 0.02 (age - 50)).
p <- plogis(-2 + 3 * aSAH$s100b + 0.02 * (aSAH$age - 50))
lp <- qlogis(p)
ctrl <- glm.control(epsilon = 1e-14, maxit = 100)
slope_fit <- glm(y ~ lp, family = binomial, control = ctrl)
citl_fit <- glm(y ~ 1, offset = lp, family = binomial, control = ctrl)
calib <- list(
  p = p,
  slope = unname(coef(slope_fit)[2]),
  slope_intercept = unname(coef(slope_fit)[1]),
  citl = unname(coef(citl_fit)[1]),
  brier = mean((p - y)^2)
)

out <- list(
  versions = c(R = R.version.string, pROC = as.character(packageVersion("pROC"))),
  y = y,
  markers = markers,
  single = single,
  paired = paired,
  wilson = props,
  calibration = calib
)
writeLines(json(out), args[1])
