# Parity reference for src/engine/analysis/glmnet: glmnet paths (gaussian covariance and
# naive, binomial, cox; alpha 1 and 0.5; weights, penalty factors, standardize = FALSE) and
# cv.glmnet with fixed fold ids, on the example data shipped with glmnet.
# Usage: Rscript glmnet.R <out.json>
suppressPackageStartupMessages({library(glmnet); library(survival)})
self <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
source(file.path(dirname(self), "json.R"))
out_path <- commandArgs(trailingOnly = TRUE)[1]

data(QuickStartExample); qs <- QuickStartExample
data(BinomialExample); be <- BinomialExample
data(CoxExample); ce <- CoxExample
gx <- unname(qs$x); gy <- as.numeric(qs$y)
bx <- unname(be$x); by <- as.numeric(be$y)
cx <- unname(ce$x); cy <- ce$y
ctime <- as.numeric(cy[, "time"]); cstatus <- as.numeric(cy[, "status"])
csurv <- Surv(ctime, cstatus)

path_out <- function(fit) list(
  lambda = fit$lambda, a0 = if (is.null(fit$a0)) rep(0, length(fit$lambda)) else unname(fit$a0),
  beta = unname(as.matrix(t(as.matrix(fit$beta)))), dev_ratio = fit$dev.ratio, nulldev = fit$nulldev
)

cases <- list()
add_case <- function(name, family, x, y, ..., ydata) {
  fit <- glmnet(x, y, family = family, ...)
  refit <- glmnet(x, y, family = family, lambda = fit$lambda, ...)
  args <- list(...)
  cases[[length(cases) + 1]] <<- c(list(name = name, family = family, data = ydata,
    alpha = if (is.null(args$alpha)) 1 else args$alpha,
    weights = args$weights, penalty_factor = args$penalty.factor,
    standardize = if (is.null(args$standardize)) TRUE else args$standardize,
    type_gaussian = if (is.null(args$type.gaussian)) NULL else args$type.gaussian),
    list(path = path_out(fit), refit = path_out(refit)))
}
w_g <- 1 + (seq_len(nrow(gx)) %% 4) / 4
pf_g <- rep(1, ncol(gx)); pf_g[2] <- 0; pf_g[5] <- 2
for (a in c(1, 0.5)) {
  add_case(paste("gaussian alpha", a), "gaussian", gx, gy, alpha = a, ydata = "gaussian")
  add_case(paste("gaussian naive alpha", a), "gaussian", gx, gy, alpha = a, type.gaussian = "naive", ydata = "gaussian")
  add_case(paste("binomial alpha", a), "binomial", bx, by, alpha = a, ydata = "binomial")
  add_case(paste("cox alpha", a), "cox", cx, csurv, alpha = a, ydata = "cox")
}
add_case("gaussian weights + penalty factors", "gaussian", gx, gy, alpha = 1, weights = w_g, penalty.factor = pf_g, ydata = "gaussian")
add_case("gaussian ridge", "gaussian", gx, gy, alpha = 0, ydata = "gaussian")
add_case("binomial unstandardized, weights", "binomial", bx, by, alpha = 0.5, standardize = FALSE,
         weights = 1 + (seq_len(nrow(bx)) %% 3) / 2, ydata = "binomial")
add_case("cox weights", "cox", cx, csurv, alpha = 1, weights = 1 + (seq_len(nrow(cx)) %% 5) / 5, ydata = "cox")

fold <- function(n, k) rep_len(seq_len(k), n)[order(sin(seq_len(n) * 7.3))]
cv_cases <- list()
add_cv <- function(name, family, x, y, type, foldid, ydata, alpha = 1) {
  cv <- cv.glmnet(x, y, family = family, type.measure = type, foldid = foldid, alpha = alpha)
  cv_cases[[length(cv_cases) + 1]] <<- list(name = name, family = family, type = type, data = ydata,
    alpha = alpha, foldid = foldid, lambda = cv$lambda, cvm = cv$cvm, cvsd = cv$cvsd,
    lambda_min = cv$lambda.min, lambda_1se = cv$lambda.1se)
}
add_cv("gaussian mse", "gaussian", gx, gy, "mse", fold(nrow(gx), 5), "gaussian")
add_cv("gaussian mse alpha 0.5", "gaussian", gx, gy, "mse", fold(nrow(gx), 10), "gaussian", alpha = 0.5)
add_cv("binomial deviance", "binomial", bx, by, "deviance", fold(nrow(bx), 5), "binomial")
add_cv("binomial auc", "binomial", bx, by, "auc", fold(nrow(bx), 5), "binomial")
add_cv("binomial mse", "binomial", bx, by, "mse", fold(nrow(bx), 5), "binomial")
add_cv("cox deviance", "cox", cx, csurv, "deviance", fold(nrow(cx), 5), "cox")
add_cv("cox C", "cox", cx, csurv, "C", fold(nrow(cx), 5), "cox")

write_json(list(
  versions = list(R = as.character(getRversion()), glmnet = as.character(packageVersion("glmnet"))),
  data = list(gaussian = list(x = gx, y = gy), binomial = list(x = bx, y = by),
              cox = list(x = cx, time = ctime, status = cstatus)),
  cases = cases, cv = cv_cases
), out_path)
