# Parity reference for src/engine/analysis/survival: coxph (Efron and Breslow), basehaz,
# concordance, survdiff and survfit (Kaplan-Meier) on data sets that ship with survival
# (lung, veteran, ovarian). Usage: Rscript survival.R <out.json>
suppressPackageStartupMessages(library(survival))
self <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
source(file.path(dirname(self), "json.R"))
out_path <- commandArgs(trailingOnly = TRUE)[1]

lung_d <- na.omit(lung[, c("time", "status", "age", "sex", "ph.ecog", "wt.loss")])
vet_x <- model.matrix(~ trt + karno + diagtime + age + prior + celltype, veteran)[, -1]
data_sets <- list(
  lung = list(time = lung_d$time, status = lung_d$status - 1,
              x = as.matrix(lung_d[, c("age", "sex", "ph.ecog", "wt.loss")])),
  veteran = list(time = veteran$time, status = veteran$status, x = unname(vet_x)),
  ovarian = list(time = ovarian$futime, status = ovarian$fustat,
                 x = as.matrix(ovarian[, c("age", "resid.ds", "rx", "ecog.ps")]))
)

cox_cases <- list()
for (nm in names(data_sets)) {
  d <- data_sets[[nm]]
  y <- Surv(d$time, d$status)
  for (ties in c("efron", "breslow")) {
    fit <- coxph(y ~ d$x, ties = ties)
    bh <- basehaz(fit, centered = FALSE)
    conc <- concordance(y ~ fit$linear.predictors, reverse = TRUE)
    cox_cases[[length(cox_cases) + 1]] <- list(
      data = nm, ties = ties,
      coef = unname(coef(fit)), se = unname(sqrt(diag(fit$var))),
      loglik = fit$loglik, score = fit$score, wald = unname(fit$wald.test),
      iter = fit$iter, lp = unname(fit$linear.predictors),
      basehaz_time = bh$time, basehaz_hazard = bh$hazard,
      concordance = conc$concordance, concordance_var = conc$var,
      concordance_count = unname(conc$count)
    )
  }
}

conc_cases <- list()
add_conc <- function(name, time, status, risk, weights = NULL) {
  y <- Surv(time, status)
  f <- -risk
  cf <- if (is.null(weights)) concordance(y ~ f) else concordance(y ~ f, weights = weights)
  conc_cases[[length(conc_cases) + 1]] <<- list(
    name = name, time = time, status = status, risk = risk,
    weights = if (is.null(weights)) NULL else weights,
    concordance = cf$concordance, var = cf$var, count = unname(cf$count)
  )
}
add_conc("lung ph.ecog (tied risks)", lung_d$time, lung_d$status - 1, lung_d$ph.ecog)
add_conc("veteran karno", veteran$time, veteran$status, veteran$karno)
add_conc("lung age weighted", lung_d$time, lung_d$status - 1, lung_d$age,
         weights = 1 + (seq_len(nrow(lung_d)) %% 3) / 2)
add_conc("ovarian age", ovarian$futime, ovarian$fustat, ovarian$age)

logrank_cases <- list()
add_lr <- function(name, time, status, group) {
  group <- factor(as.character(group))
  sd <- survdiff(Surv(time, status) ~ group)
  logrank_cases[[length(logrank_cases) + 1]] <<- list(
    name = name, time = time, status = status, group = as.character(group),
    chisq = sd$chisq, observed = unname(sd$obs), expected = unname(sd$exp),
    df = length(sd$n) - 1
  )
}
lung_all <- lung[!is.na(lung$ph.ecog), ]
add_lr("lung sex", lung$time, lung$status - 1, lung$sex)
add_lr("lung ph.ecog", lung_all$time, lung_all$status - 1, lung_all$ph.ecog)
add_lr("veteran celltype", veteran$time, veteran$status, veteran$celltype)
add_lr("ovarian rx", ovarian$futime, ovarian$fustat, ovarian$rx)

km_cases <- list()
add_km <- function(name, time, status, conf.type, risk_times) {
  fit <- survfit(Surv(time, status) ~ 1, conf.type = conf.type)
  q <- quantile(fit, 0.5)
  s <- summary(fit, times = risk_times, extend = TRUE)
  km_cases[[length(km_cases) + 1]] <<- list(
    name = name, conf_type = conf.type, time_in = time, status_in = status,
    time = fit$time, n_risk = fit$n.risk, n_event = fit$n.event, n_censor = fit$n.censor,
    surv = fit$surv, std_err = fit$std.err, lower = fit$lower, upper = fit$upper,
    median = unname(q$quantile), median_lower = unname(q$lower), median_upper = unname(q$upper),
    risk_times = risk_times, risk_n = s$n.risk
  )
}
for (ct in c("log", "log-log", "plain")) {
  add_km(paste("lung", ct), lung$time, lung$status - 1, ct, c(0, 100, 365, 500, 1000, 1100))
}
add_km("lung female", lung$time[lung$sex == 2], lung$status[lung$sex == 2] - 1, "log", c(100, 365))
add_km("veteran", veteran$time, veteran$status, "log-log", c(30, 90, 180, 365))
add_km("ovarian", ovarian$futime, ovarian$fustat, "log", c(200, 400, 800))

write_json(list(
  versions = list(R = as.character(getRversion()), survival = as.character(packageVersion("survival"))),
  data = data_sets, cox = cox_cases, concordance = conc_cases, logrank = logrank_cases, km = km_cases
), out_path)
