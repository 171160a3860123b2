# VST (blind = FALSE) and plotPCA coordinates of the synthetic paired 3 x 3 case, for
# tests/de/test_vst.py. Run from the repository root: Rscript tests/reference/de/make_vst_reference.R
suppressPackageStartupMessages(library(DESeq2))
out_dir <- "tests/reference/de"
cts <- as.matrix(read.delim(file.path(out_dir, "synthetic_paired9_counts.tsv"), row.names = "feature_id"))
sh <- read.csv(file.path(out_dir, "synthetic_paired9_samples.csv"), row.names = 1)[colnames(cts), ]
sh$donor <- factor(sh$donor)
sh$condition <- relevel(factor(sh$condition), ref = "ctrl")
dds <- DESeq(DESeqDataSetFromMatrix(cts, sh, ~ donor + condition), quiet = TRUE)
vsd <- varianceStabilizingTransformation(dds, blind = FALSE)
v <- assay(vsd)
con <- gzfile(file.path(out_dir, "synthetic_paired9_vst.tsv.gz"), "w")
write.table(data.frame(feature_id = rownames(v), apply(v, 2, function(x) sprintf("%.17g", x))),
            con, sep = "\t", quote = FALSE, row.names = FALSE)
close(con)
pca <- plotPCA(vsd, intgroup = "condition", ntop = 500, returnData = TRUE)
write.table(data.frame(sample = rownames(pca), PC1 = sprintf("%.17g", pca$PC1),
                       PC2 = sprintf("%.17g", pca$PC2)),
            file.path(out_dir, "synthetic_paired9_pca.tsv"), sep = "\t", quote = FALSE,
            row.names = FALSE)
writeLines(sprintf("%.17g", attr(pca, "percentVar")), file.path(out_dir, "synthetic_paired9_pca_percentvar.txt"))
