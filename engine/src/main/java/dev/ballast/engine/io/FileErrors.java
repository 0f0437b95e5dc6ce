package dev.ballast.engine.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.Locale;

/**
 * Says in words what a file-system failure was, for one-line user messages: {@code no such file},
 * {@code permission denied}, {@code disk full}, {@code is a directory}, ... followed by the path the
 * operating system named, never a Java exception class name.
 *
 * <pre>{@code
 * catch (IOException e) { throw new CheckpointException("could not write " + target + ": " + FileErrors.describe(e)); }
 * // -> could not write runs/a/model.json: permission denied (runs/a/.model.json.tmp-3f2a)
 * }</pre>
 */
public final class FileErrors {

    private FileErrors() {
    }

    /** What happened, in words, with the path(s) involved when the exception names them. */
    public static String describe(Throwable e) {
        Throwable cause = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        String what = what(cause);
        String where = where(cause);
        String text = where.isEmpty() ? what : what + " (" + where + ")";
        return text.replace('\n', ' ').strip();
    }

    /** The failure alone, without the path: "no such file", "permission denied", "disk full", ... */
    public static String what(Throwable e) {
        String reason = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
        String fromReason = fromReason(reason);
        if (fromReason != null) {
            return fromReason;
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof NotLinkException) {
            return "not a symbolic link";
        }
        if (e instanceof FileSystemLoopException) {
            return "symbolic links form a loop";
        }
        if (e instanceof FileSystemException) {
            return reason == null || reason.isBlank() ? "file system error" : lowerFirst(reason);
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e instanceof IOException ? "input/output error" : "unexpected error";
        }
        return lowerFirst(message);
    }

    private static String where(Throwable e) {
        if (e instanceof FileSystemException f) {
            String file = f.getFile();
            String other = f.getOtherFile();
            if (file != null && other != null) {
                return file + " -> " + other;
            }
            return file == null ? "" : file;
        }
        return "";
    }

    /** The operating system's wording (strerror) mapped to short words; null when not recognised. */
    private static String fromReason(String reason) {
        if (reason == null) {
            return null;
        }
        String r = reason.toLowerCase(Locale.ROOT);
        if (r.contains("no space left") || r.contains("disk quota") || r.contains("not enough space")
                || r.contains("there is not enough space")) {
            return "disk full";
        }
        if (r.contains("read-only file system")) {
            return "read-only file system";
        }
        if (r.contains("is a directory")) {
            return "is a directory";
        }
        if (r.contains("not a directory")) {
            return "not a directory";
        }
        if (r.contains("permission denied") || r.contains("operation not permitted") || r.contains("access is denied")) {
            return "permission denied";
        }
        if (r.contains("no such file")) {
            return "no such file or directory";
        }
        if (r.contains("too many open files")) {
            return "too many open files";
        }
        if (r.contains("file name too long")) {
            return "file name too long";
        }
        if (r.contains("input/output error")) {
            return "input/output error";
        }
        return null;
    }

    private static String lowerFirst(String s) {
        String t = s.strip();
        if (t.length() > 1 && Character.isUpperCase(t.charAt(0)) && !Character.isUpperCase(t.charAt(1))) {
            return Character.toLowerCase(t.charAt(0)) + t.substring(1);
        }
        return t;
    }
}
