package dev.s3music.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Dockerfile read into stages and instructions, enough for static checks: no Docker engine runs here, so the
 * image cannot be built in tests. Hand-written because no Java library parses Dockerfiles; it follows the
 * reference's rules that matter for these files: {@code #} comment lines, backslash line continuations, one
 * keyword per instruction, a new stage at each FROM.
 */
record Dockerfile(List<Stage> stages) {

    record Instruction(String keyword, String arguments) {
    }

    record Stage(String baseImage, String name, List<Instruction> instructions) {

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        Instruction last(String keyword) {
            List<Instruction> found = all(keyword);
            return found.isEmpty() ? null : found.get(found.size() - 1);
        }
    }

    static Dockerfile parse(Path file) throws IOException {
        List<String> logical = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
                continue; // comments (and parser directives) may also sit inside a continued instruction
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            if (current.length() > 0) {
                logical.add(current.toString().strip());
            }
            current.setLength(0);
        }
        if (current.length() > 0) {
            throw new IllegalArgumentException(file + ": ends inside a continued instruction");
        }

        List<Stage> stages = new ArrayList<>();
        List<Instruction> instructions = null;
        for (String line : logical) {
            String[] parts = line.split("\\s+", 2);
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            String args = parts.length > 1 ? parts[1].strip() : "";
            if (keyword.equals("FROM")) {
                String[] from = args.split("\\s+");
                String image = from[0].startsWith("--") ? from[1] : from[0];
                String name = null;
                for (int i = 0; i < from.length - 1; i++) {
                    if (from[i].equalsIgnoreCase("AS")) {
                        name = from[i + 1];
                    }
                }
                instructions = new ArrayList<>();
                stages.add(new Stage(image, name, instructions));
            } else if (instructions == null) {
                if (!keyword.equals("ARG")) {
                    throw new IllegalArgumentException(file + ": " + keyword + " before the first FROM");
                }
            } else {
                instructions.add(new Instruction(keyword, args));
            }
        }
        return new Dockerfile(stages);
    }

    Stage finalStage() {
        return stages.get(stages.size() - 1);
    }
}
