# Reference outputs of R tximport for tests/de/test_quant.py (run from this folder).
suppressPackageStartupMessages(library(tximport))
tx2gene <- read.csv("tx2gene.csv")
for (type in c("salmon", "kallisto")) {
  fname <- if (type == "salmon") "quant.sf" else "abundance.tsv"
  files <- file.path(type, c("S1", "S2", "S3"), fname)
  names(files) <- c("S1", "S2", "S3")
  for (cfa in c("no", "scaledTPM", "lengthScaledTPM")) {
    txi <- tximport(files, type = type, tx2gene = tx2gene, countsFromAbundance = cfa,
                    importer = function(f) read.delim(f, check.names = FALSE))
    for (what in c("counts", "abundance", "length")) {
      m <- txi[[what]]
      out <- data.frame(feature_id = rownames(m), m, check.names = FALSE)
      write.table(out, sprintf("%s_%s_%s.tsv", type, cfa, what), sep = "\t",
                  quote = FALSE, row.names = FALSE)
    }
  }
}
writeLines(c(R.version.string, paste("tximport", packageVersion("tximport"))), "versions.txt")
