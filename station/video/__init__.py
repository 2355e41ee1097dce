"""The video of a pack: the bench camera's frames from order open to complete, in one file.

:class:`~station.video.pack_video.PackVideo` listens to the pack bench's outcomes (an order
opened or picked starts a recording, its completion ends it) and to the camera's frames; a
:class:`~station.video.recorder.VideoRecorder` encodes on its own thread; the finished file is
stored beside the photos under its SHA-256 and recorded as a ``photos`` row of kind
``video`` with a ``video.recorded`` event (:mod:`station.video.store`), so it is uploaded,
listed in the evidence record and purged exactly as the photos are.
"""
